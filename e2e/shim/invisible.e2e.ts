// The extension's shim must be invisible to the page: no new globals, no
// message traffic on the window, native-looking functions, traffic intact.
// The same page runs in Chromium without and with the extension; what the page
// can observe must be equal.
import { describe, expect, it } from 'vitest';
import type { DemoServer } from '../demo/server';
import { useDemoServer } from '../fixtures';
import { launchChromium } from '../lib/chromium';
import { DIST_CHROME } from '../lib/paths';

interface Observed {
  globals: string[];
  seen: string[];
  source: string[];
  received: string[];
  /** What a page sees of Worker and SharedWorker, which the shim wraps to take its workers' channels. */
  workers: unknown[];
  /** Listeners on the socket, as CDP (not the page) sees them. */
  listeners: { type: string; useCapture: boolean }[];
}

async function observe(server: DemoServer, extension?: string): Promise<Observed> {
  const session = await launchChromium({ extension });
  try {
    const page = await session.context.newPage();
    await page.goto(`${server.url}watch-window.html`);
    const observed = await page.evaluate(async (wsUrl) => {
      const ws = new WebSocket(`${wsUrl}/echo?greet=down`);
      (window as unknown as { __ws: WebSocket }).__ws = ws;
      const received: string[] = [];
      await new Promise<void>((resolve, reject) => {
        ws.onerror = () => reject(new Error('socket error'));
        ws.onmessage = (e) => {
          received.push(String(e.data));
          if (received.length === 1) ws.send('up');
          if (received.length === 2) resolve();
        };
      });
      ws.close();
      // A worker's first message reaches the page as it would natively (the shim takes only its own channel's).
      class Sub extends Worker {}
      const sub = new Sub(URL.createObjectURL(new Blob(['postMessage("first"); postMessage("second")'])));
      const fromWorker = await new Promise<string[]>((resolve) => {
        const got: string[] = [];
        sub.onmessage = (event) => got.push(event.data) === 2 && resolve(got);
      });
      const workers = [
        String(Worker), String(SharedWorker), Worker.length, SharedWorker.length, Worker.name,
        Worker.prototype.constructor === Worker, SharedWorker.prototype.constructor === SharedWorker,
        sub instanceof Sub, sub instanceof Worker, Object.getPrototypeOf(sub) === Sub.prototype, fromWorker,
      ];
      // Let any stray batch or hello reach the window.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const w = window as unknown as { __seen: string[] };
      return {
        globals: Object.getOwnPropertyNames(window).sort(),
        seen: w.__seen,
        source: [String(WebSocket), String(WebSocket.prototype.send), String(Function.prototype.toString)],
        received,
        workers,
      };
    }, server.wsUrl);
    const cdp = await session.context.newCDPSession(page);
    const { result } = await cdp.send('Runtime.evaluate', { expression: 'window.__ws' });
    const { listeners } = await cdp.send('DOMDebugger.getEventListeners', { objectId: result.objectId! });
    return { ...observed, listeners: listeners.map(({ type, useCapture }) => ({ type, useCapture })) };
  } finally {
    await session.close();
  }
}

describe('the shim, seen from the page', () => {
  const server = useDemoServer();

  it('adds no globals, posts nothing to the window and looks native', async () => {
    const native = await observe(server());
    const shimmed = await observe(server(), DIST_CHROME);
    expect(shimmed.received).toEqual(['down', 'up']);
    expect(shimmed.seen).toEqual([]);
    expect(shimmed.globals).toEqual(native.globals);
    expect(shimmed.source).toEqual(native.source);
    expect(shimmed.source[0]).toBe('function WebSocket() { [native code] }');
    expect(shimmed.workers).toEqual(native.workers);
    expect(shimmed.workers[0]).toBe('function Worker() { [native code] }');
    expect(shimmed.workers.at(-1)).toEqual(['first', 'second']);
    // Proof the shim was there at all: its capture listeners, which only CDP can see.
    const shimListeners = ['open', 'message', 'error', 'close'].map((type) => ({ type, useCapture: true }));
    expect(native.listeners.filter((l) => l.useCapture)).toEqual([]);
    expect(shimmed.listeners.filter((l) => l.useCapture)).toEqual(shimListeners);
  });
});
