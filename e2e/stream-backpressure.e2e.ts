// WebSocketStream in Chromium, with the shim: real backpressure reaches the
// server, and the shim records the stream's traffic. A shim that read ahead of
// the page (buffering what the page has not asked for) would let the server
// finish at once and fail the stall assertion.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { SocketInfo } from '../shim/protocol';
import { HOSTS, startConformanceServer, type ConformanceServer } from './conformance/server';
import { launchChromium, type ChromiumSession } from './lib/chromium';
import { standaloneShim } from './lib/paths';

const MESSAGES = 16;
/** How long the slow server stops reading. */
const SERVER_PAUSE_MS = 2_000;
const SIZE = 1024 * 1024;
const PAGE_WAIT_MS = 2_000;

interface Flood {
  /** How long the server took to hand its last message to the kernel. */
  stallMs: number;
  received: number;
  bytes: number;
  sockets: SocketInfo[] | null;
}

describe('WebSocketStream backpressure reaches the server, with and without the shim (Chromium)', () => {
  let server: ConformanceServer;
  let chromium: ChromiumSession;

  beforeAll(async () => {
    server = await startConformanceServer();
    chromium = await launchChromium();
  });

  afterAll(async () => {
    await chromium?.close();
    await server?.close();
  });

  /** A page that waits before reading 16 MiB from the server, then asks the server how long it was held back. */
  async function flood(host: string, tag: string, shim: boolean): Promise<Flood> {
    const page = await chromium.context.newPage();
    if (shim) await page.addInitScript({ content: standaloneShim() });
    await page.goto(`${server.pageOrigin(host)}/page.html`);
    const result = await page.evaluate(
      async ({ url, report, messages, wait }) => {
        const W = (globalThis as unknown as { WebSocketStream: new (url: string) => any }).WebSocketStream;
        const stream = new W(url);
        const { readable } = await stream.opened;
        await new Promise((resolve) => setTimeout(resolve, wait));
        const reader = readable.getReader();
        let received = 0;
        let bytes = 0;
        while (received < messages) {
          const { value } = await reader.read();
          received++;
          bytes += (value as string).length;
        }
        let stallMs: number | null = null;
        for (let i = 0; i < 50 && stallMs === null; i++) {
          stallMs = await (await fetch(report)).json();
          if (stallMs === null) await new Promise((resolve) => setTimeout(resolve, 20));
        }
        stream.close();
        await stream.closed;
        const api = (globalThis as unknown as { sockscope?: { sockets(): SocketInfo[] } }).sockscope;
        return { stallMs: stallMs ?? -1, received, bytes, sockets: api ? api.sockets() : null };
      },
      {
        url: `${server.socketOrigin}/flood?n=${MESSAGES}&size=${SIZE}&tag=${tag}`,
        report: `${server.pageOrigin(host)}/flood-report?tag=${tag}`,
        messages: MESSAGES,
        wait: PAGE_WAIT_MS,
      },
    );
    await page.close();
    return result;
  }

  test('a page that waits 2 s before reading 16 × 1 MiB holds the server back as long', async () => {
    const native = await flood(HOSTS.native, 'native', false);
    const shim = await flood(HOSTS.standalone, 'shim', true);
    for (const run of [native, shim]) {
      expect(run.received).toBe(MESSAGES);
      expect(run.bytes).toBe(MESSAGES * SIZE);
      expect(run.stallMs).toBeGreaterThanOrEqual(0.9 * PAGE_WAIT_MS);
    }
    expect(native.sockets).toBeNull();
    // The shim recorded the stream as it was read.
    expect(shim.sockets).toHaveLength(1);
    expect(shim.sockets![0]).toMatchObject({
      kind: 'WebSocketStream',
      readyState: 3,
      received: MESSAGES,
      receivedBytes: MESSAGES * SIZE,
      closeCode: 1005,
      wasClean: true,
    });
  });

  /** Writes 8 × 1 MiB, each after the previous completed, to a server that stops reading for 2 s. */
  async function slowWrite(host: string, shim: boolean): Promise<{ ms: number; sockets: SocketInfo[] | null }> {
    const page = await chromium.context.newPage();
    if (shim) await page.addInitScript({ content: standaloneShim() });
    await page.goto(`${server.pageOrigin(host)}/page.html`);
    const result = await page.evaluate(
      async ({ url }) => {
        const W = (globalThis as unknown as { WebSocketStream: new (url: string) => any }).WebSocketStream;
        const stream = new W(url);
        const { writable } = await stream.opened;
        const writer = writable.getWriter();
        const chunk = new Uint8Array(1024 * 1024);
        const started = performance.now();
        for (let i = 0; i < 8; i++) {
          await writer.ready;
          await writer.write(chunk);
        }
        const ms = performance.now() - started;
        stream.close();
        await stream.closed;
        const api = (globalThis as unknown as { sockscope?: { sockets(): SocketInfo[] } }).sockscope;
        return { ms, sockets: api ? api.sockets() : null };
      },
      { url: `${server.socketOrigin}/slow-read?ms=${SERVER_PAUSE_MS}` },
    );
    await page.close();
    return result;
  }

  test('writing 8 MiB to a server that stops reading for 2 s takes as long', async () => {
    const native = await slowWrite(HOSTS.native, false);
    const shim = await slowWrite(HOSTS.standalone, true);
    for (const run of [native, shim]) expect(run.ms).toBeGreaterThanOrEqual(0.9 * SERVER_PAUSE_MS);
    expect(shim.sockets![0]).toMatchObject({ kind: 'WebSocketStream', sent: 8, sentBytes: 8 * 1024 * 1024 });
  });
});
