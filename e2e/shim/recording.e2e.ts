// What the shim records, read through dist/shim.js's `sockscope` API in
// Chromium: every payload kind in both directions exactly as it crossed the
// wire, and nothing that did not (events the page forges, sends after close).
import { describe, expect, test } from 'vitest';
import type { MessageRecord, SocketInfo } from '../../shim/wire/records';
import { HOSTS } from '../conformance/server';
import { useChromium, useConformanceServer } from '../fixtures';
import { standaloneShim } from '../lib/paths';

describe('dist/shim.js records what crossed the wire, and only that', () => {
  const server = useConformanceServer();
  const chromium = useChromium();

  test('every payload kind, both directions; forged events and sends after close left out', async () => {
    const page = await chromium().context.newPage();
    await page.addInitScript({ content: standaloneShim() });
    await page.goto(`${server().pageOrigin(HOSTS.standalone)}/page.html`);
    const { sockets, messages, frames } = await page.evaluate(async (wsOrigin) => {
      const ws = new WebSocket(`${wsOrigin}/greet?text=down`);
      ws.binaryType = 'arraybuffer';
      const received: unknown[] = [];
      let echoes: () => void = () => {};
      const allEchoed = new Promise<void>((resolve) => (echoes = resolve));
      ws.onmessage = () => {
        received.push(1);
        if (received.length === 6) echoes();
      };
      await new Promise((resolve) => (ws.onopen = resolve));
      ws.send('text');
      ws.send('\uD800x');
      ws.send(new Uint8Array([1, 2, 3, 4]).subarray(1, 3));
      ws.send(new DataView(new Uint8Array([9, 8, 7, 6]).buffer, 2, 2));
      ws.send(new Blob(['blob!']));
      await allEchoed;
      ws.dispatchEvent(new MessageEvent('message', { data: 'forged' }));
      ws.dispatchEvent(new CloseEvent('close', { code: 4444 }));
      const closed = new Promise((resolve) => (ws.onclose = resolve));
      ws.close();
      ws.send('after close');
      await closed;
      // Blob reads finish asynchronously.
      await new Promise((resolve) => setTimeout(resolve, 100));
      const api = (globalThis as unknown as { sockscope: { sockets(): SocketInfo[]; messages(): MessageRecord[]; frames(): MessageRecord[] } }).sockscope;
      return { sockets: api.sockets(), messages: api.messages(), frames: api.frames() };
    }, server().socketOrigin);
    // `messages()` is the page API's name for the list, `frames()` its older one: the same list.
    expect(messages).toEqual(frames);

    const b64 = (bytes: number[] | string) => Buffer.from(typeof bytes === 'string' ? bytes : Uint8Array.from(bytes)).toString('base64');
    const sent = [
      ['text', 'text', 4],
      ['text', '\uFFFDx', 4],
      ['binary', b64([2, 3]), 2],
      ['binary', b64([7, 6]), 2],
      ['binary', b64('blob!'), 5],
    ] as const;
    // The page sends from its open handler, before the greeting's message task runs.
    expect(messages.map((m) => [m.direction, m.type, m.data, m.size, m.truncated])).toEqual([
      ...sent.map(([type, data, size]) => ['send', type, data, size, false]),
      ['receive', 'text', 'down', 4, false],
      ...sent.map(([type, data, size]) => ['receive', type, data, size, false]),
    ]);
    expect(messages.map((m) => m.seq)).toEqual(messages.map((_, i) => i + 1));
    expect(sockets).toHaveLength(1);
    expect(sockets[0]).toMatchObject({
      url: `${server().socketOrigin}/greet?text=down`,
      readyState: 3,
      sent: 5,
      received: 6,
      sentBytes: 17,
      receivedBytes: 21,
      closeCode: 1005,
      wasClean: true,
      error: false,
    });
  });
});
