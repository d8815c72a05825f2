// WebSocketStream backpressure with the shim. In Chromium it is native and
// must reach the server as without the shim: a shim that read ahead of the
// page (buffering what the page has not asked for) would let the server finish
// at once and fail the stall assertion. In Firefox the stream is provided on
// a WebSocket: sending still waits for the network (a provided stream that
// completed writes at once would fail), receiving cannot hold the server back,
// and the socket record says so.
//
// The classic-over-stream mode gives a classic WebSocket the same: carried by
// a native WebSocketStream (Chromium), a paused consumer holds the server
// back; without the mode, held messages wait in the shim and the server is
// never held back. In Firefox the mode only warns.
import { describe, expect, test } from 'vitest';
import type { SocketInfo } from '../../shim/wire/records';
import { HOSTS } from '../conformance/server';
import { useChromium, useConformanceServer, useExtensionCopy, useFirefox } from '../fixtures';
import { DIST_FIREFOX, standaloneShim } from '../lib/paths';

const MESSAGES = 16;
/** How long the slow server stops reading. */
const SERVER_PAUSE_MS = 2_000;
const SIZE = 1024 * 1024;
const PAGE_WAIT_MS = 2_000;
const PROVIDE = 'globalThis.sockscopeOptions = { provideWebSocketStream: true };\n';
const OVER_STREAM = 'globalThis.sockscopeOptions = { classicOverStream: true };\n';

interface Flood {
  /** How long the server took to hand its last message to the kernel. */
  stallMs: number;
  received: number;
  bytes: number;
  sockets: SocketInfo[] | null;
}

interface TestPage {
  evaluate<A, R>(fn: (arg: A) => Promise<R>, arg: A): Promise<R>;
  close(): Promise<void>;
}

/** A page of `host` on the conformance server, with `init` evaluated before its scripts (null: none). */
type OpenPage = (host: string, init: string | null) => Promise<TestPage>;

const server = useConformanceServer();

/** A page that waits before reading 16 MiB from the server, then asks the server how long it was held back. */
async function flood(open: OpenPage, host: string, tag: string, init: string | null): Promise<Flood> {
  const page = await open(host, init);
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
      url: `${server().socketOrigin}/flood?n=${MESSAGES}&size=${SIZE}&tag=${tag}`,
      report: `${server().pageOrigin(host)}/flood-report?tag=${tag}`,
      messages: MESSAGES,
      wait: PAGE_WAIT_MS,
    },
  );
  await page.close();
  return result;
}

/** Writes 8 × 1 MiB, each after the previous completed, to a server that stops reading for 2 s. */
async function slowWrite(open: OpenPage, host: string, init: string | null): Promise<{ ms: number; sockets: SocketInfo[] | null }> {
  const page = await open(host, init);
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
    { url: `${server().socketOrigin}/slow-read?ms=${SERVER_PAUSE_MS}` },
  );
  await page.close();
  return result;
}


interface ClassicFlood {
  stallMs: number;
  /** The number each message began with, in the order the page got them. */
  order: number[];
  bytes: number;
  socket: SocketInfo;
}

/**
 * A classic WebSocket whose consumer is paused for 2 s, from the page's
 * first moment, by `sockscope.consumer(id).pause()` or by a rule, while the
 * server sends 16 × 1 MiB; then how long the server was held back.
 */
async function classicFlood(open: OpenPage, init: string, tag: string, pauseBy: 'api' | 'rule'): Promise<ClassicFlood> {
  const page = await open(HOSTS.standalone, init);
  const result = await page.evaluate(
    async ({ url, report, messages, pause, pauseBy }) => {
      type Api = {
        sockets(): SocketInfo[];
        consumer(id: number): { pause(): void; resume(): void };
        shape(rule: unknown): number;
        unshape(id: number): boolean;
      };
      const api = (globalThis as unknown as { sockscope: Api }).sockscope;
      const rule = pauseBy === 'rule' ? api.shape({ match: url, consumer: { paused: true } }) : 0;
      const ws = new WebSocket(url);
      const id = api.sockets().find((s) => s.url === url)!.id;
      if (pauseBy === 'api') api.consumer(id).pause();
      const order: number[] = [];
      let bytes = 0;
      ws.onmessage = (event) => {
        order.push(Number((event.data as string).slice(0, (event.data as string).indexOf(':'))));
        bytes += (event.data as string).length;
      };
      setTimeout(() => (pauseBy === 'api' ? api.consumer(id).resume() : api.unshape(rule)), pause);
      while (order.length < messages) await new Promise((resolve) => setTimeout(resolve, 20));
      let stallMs: number | null = null;
      for (let i = 0; i < 50 && stallMs === null; i++) {
        stallMs = await (await fetch(report)).json();
        if (stallMs === null) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      ws.close();
      await new Promise((resolve) => (ws.onclose = resolve));
      return { stallMs: stallMs ?? -1, order, bytes, socket: api.sockets().find((s) => s.id === id)! };
    },
    {
      url: `${server().socketOrigin}/flood?n=${MESSAGES}&size=${SIZE}&tag=${tag}`,
      report: `${server().pageOrigin(HOSTS.standalone)}/flood-report?tag=${tag}`,
      messages: MESSAGES,
      pause: PAGE_WAIT_MS,
      pauseBy,
    },
  );
  await page.close();
  return result;
}

describe('WebSocketStream backpressure reaches the server, with and without the shim (Chromium)', () => {
  const chromium = useChromium();
  const open: OpenPage = async (host, init) => {
    const page = await chromium().context.newPage();
    if (init !== null) await page.addInitScript({ content: init });
    await page.goto(`${server().pageOrigin(host)}/page.html`);
    return { evaluate: (fn, arg) => page.evaluate(fn as (arg: unknown) => Promise<never>, arg), close: () => page.close() };
  };

  test('a page that waits 2 s before reading 16 × 1 MiB holds the server back as long', async () => {
    const native = await flood(open, HOSTS.native, 'native', null);
    const shim = await flood(open, HOSTS.standalone, 'shim', standaloneShim());
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
      provided: false,
      readyState: 3,
      received: MESSAGES,
      receivedBytes: MESSAGES * SIZE,
      closeCode: 1005,
      wasClean: true,
    });
  });

  // A down link with latency reads ahead of the page (data in flight), but only a window's worth.
  test.each([
    ['', null],
    [', with a down latency set', { latencyMs: 100 }],
  ])('a consumer paused from the shaping API for 2 s holds the server back as long, though the page reads at once%s', async (label, down) => {
    const page = await open(HOSTS.standalone, standaloneShim());
    const tag = `paused${label ? '-down' : ''}`;
    const run = await page.evaluate(
      async ({ url, report, messages, pause, down }) => {
        type Api = { sockets(): SocketInfo[]; consumer(id: number): { pause(): void; resume(): void }; shape(rule: object): number };
        const api = (globalThis as unknown as { sockscope: Api }).sockscope;
        const W = (globalThis as unknown as { WebSocketStream: new (url: string) => any }).WebSocketStream;
        const stream = new W(url);
        const id = api.sockets().find((s) => s.url === url)!.id;
        if (down) api.shape({ match: id, down });
        const consumer = api.consumer(id);
        consumer.pause();
        const reader = (await stream.opened).readable.getReader();
        setTimeout(() => consumer.resume(), pause);
        let received = 0;
        while (received < messages) {
          await reader.read();
          received++;
        }
        let stallMs: number | null = null;
        for (let i = 0; i < 50 && stallMs === null; i++) {
          stallMs = await (await fetch(report)).json();
          if (stallMs === null) await new Promise((resolve) => setTimeout(resolve, 20));
        }
        stream.close();
        return { received, stallMs: stallMs ?? -1 };
      },
      {
        url: `${server().socketOrigin}/flood?n=${MESSAGES}&size=${SIZE}&tag=${tag}`,
        report: `${server().pageOrigin(HOSTS.standalone)}/flood-report?tag=${tag}`,
        messages: MESSAGES,
        pause: PAGE_WAIT_MS,
        down,
      },
    );
    await page.close();
    expect(run.received).toBe(MESSAGES);
    expect(run.stallMs).toBeGreaterThanOrEqual(0.9 * PAGE_WAIT_MS);
  });

  test('writing 8 MiB to a server that stops reading for 2 s takes as long', async () => {
    const native = await slowWrite(open, HOSTS.native, null);
    const shim = await slowWrite(open, HOSTS.standalone, standaloneShim());
    for (const run of [native, shim]) expect(run.ms).toBeGreaterThanOrEqual(0.9 * SERVER_PAUSE_MS);
    expect(shim.sockets![0]).toMatchObject({ kind: 'WebSocketStream', sent: 8, sentBytes: 8 * 1024 * 1024 });
  });

  const inOrder = Array.from({ length: MESSAGES }, (_, i) => i + 1);

  test.each(['api', 'rule'] as const)(
    'classic WebSocket over a stream: a consumer paused (by %s) for 2 s holds the server back as long, then gets every message in order',
    async (pauseBy) => {
      const run = await classicFlood(open, OVER_STREAM + standaloneShim(), `carried-${pauseBy}`, pauseBy);
      expect(run.stallMs).toBeGreaterThanOrEqual(0.9 * PAGE_WAIT_MS);
      expect(run.order).toEqual(inOrder);
      expect(run.bytes).toBe(MESSAGES * SIZE);
      expect(run.socket).toMatchObject({ kind: 'WebSocket', overStream: true, received: MESSAGES, receivedBytes: MESSAGES * SIZE, wasClean: true });
    },
  );

  test('classic WebSocket without the mode: the paused consumer holds messages in the shim, and the server is not held back', async () => {
    const run = await classicFlood(open, standaloneShim(), 'classic', 'api');
    expect(run.stallMs).toBeLessThan(0.5 * PAGE_WAIT_MS);
    expect(run.order).toEqual(inOrder);
    expect(run.socket).toMatchObject({ kind: 'WebSocket', overStream: false, received: MESSAGES });
  });
});

describe('WebSocketStream provided in Firefox: sending waits for the network, receiving is simulated', () => {
  const firefox = useFirefox({ extension: useExtensionCopy(DIST_FIREFOX, [HOSTS.standalone]) });
  const open: OpenPage = async (host, init) => {
    const page = await firefox().browser.newPage();
    if (init !== null) await page.evaluateOnNewDocument(init);
    await page.goto(`${server().pageOrigin(host)}/page.html`, { waitUntil: 'load' });
    return { evaluate: (fn, arg) => page.evaluate(fn as (arg: unknown) => Promise<never>, arg), close: () => page.close() };
  };

  test('writing 8 MiB to a server that stops reading for 2 s takes as long', async () => {
    const run = await slowWrite(open, HOSTS.standalone, PROVIDE + standaloneShim());
    expect(run.ms).toBeGreaterThanOrEqual(0.9 * SERVER_PAUSE_MS);
    expect(run.sockets![0]).toMatchObject({ kind: 'WebSocketStream', provided: true, sent: 8, sentBytes: 8 * 1024 * 1024 });
  });

  test('the classic-over-stream option warns once, clearly, and WebSocket stays native', async () => {
    const page = await firefox().browser.newPage();
    const warnings: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'warn') warnings.push(message.text());
    });
    await page.evaluateOnNewDocument(OVER_STREAM + standaloneShim());
    await page.goto(`${server().pageOrigin(HOSTS.standalone)}/page.html`, { waitUntil: 'load' });
    const run = await page.evaluate(async (url: string) => {
      const echoes: unknown[] = [];
      for (let i = 0; i < 2; i++) {
        const ws = new WebSocket(url);
        await new Promise((resolve) => (ws.onopen = resolve));
        ws.send(`echo ${i}`);
        echoes.push(await new Promise((resolve) => (ws.onmessage = (event) => resolve(event.data))));
        ws.close();
      }
      type Api = { sockets(): SocketInfo[] };
      return { echoes, sockets: (globalThis as unknown as { sockscope: Api }).sockscope.sockets() };
    }, `${server().socketOrigin}/echo`);
    await page.close();
    expect(run.echoes).toEqual(['echo 0', 'echo 1']);
    expect(run.sockets.map((s) => s.overStream)).toEqual([false, false]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/classicOverStream: this browser has no native WebSocketStream/);
  });

  test('a page that waits 2 s before reading 16 × 1 MiB gets every message, recorded as provided', async () => {
    const run = await flood(open, HOSTS.standalone, 'provided', PROVIDE + standaloneShim());
    expect(run.received).toBe(MESSAGES);
    expect(run.bytes).toBe(MESSAGES * SIZE);
    expect(run.sockets![0]).toMatchObject({
      kind: 'WebSocketStream',
      provided: true,
      received: MESSAGES,
      receivedBytes: MESSAGES * SIZE,
      closeCode: 1005,
      wasClean: true,
    });
  });
});
