// Shaping through dist/shim.js's API, in Chromium and Firefox (there with the
// provided WebSocketStream): rules set from the page (as a test would) change
// what the page observes. Delays are
// asserted as lower bounds only (a delay cannot come early); rates and
// accuracy are the benchmark's business.
import type { Page as ChromiumPage } from 'playwright-core';
import type { Page as FirefoxPage } from 'puppeteer-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { HOSTS } from '../conformance/server';
import { useChromium, useConformanceServer, useExtensionCopy, useFirefox } from '../fixtures';
import { DIST_FIREFOX, standaloneShim } from '../lib/paths';

type Evaluate = <T>(expression: string) => Promise<T>;

/** Helpers defined in the page before each test's code. */
const PAGE_HELPERS = `
  globalThis.events = (ws) => {
    const log = [];
    const start = performance.now();
    for (const type of ['open', 'message', 'error', 'close']) {
      ws.addEventListener(type, (e) => log.push({
        type, at: Math.round(performance.now() - start), state: ws.readyState,
        data: typeof e.data === 'string' ? e.data : undefined,
        code: e.code, wasClean: e.wasClean, trusted: e.isTrusted,
      }));
    }
    return log;
  };
  globalThis.until = async (ready, ms = 5000) => {
    for (let waited = 0; !ready(); waited += 10) {
      if (waited > ms) throw new Error('timed out waiting for ' + ready);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  globalThis.socketId = (ws) => sockscope.sockets().find((s) => s.url === ws.url).id;
`;

function shapingTests(name: string, open: () => Promise<{ evaluate: Evaluate; ws: string }>) {
  describe(`shaping from the page's API (${name})`, () => {
    test('down latency delays each message, and the copies keep their fields', async () => {
      const { evaluate, ws } = await open();
      const log = await evaluate<{ type: string; at: number; data?: string; trusted: boolean }[]>(`(async () => {
        sockscope.shape({ match: '/greet', down: { latencyMs: 300 } });
        const ws = new WebSocket('${ws}/greet?text=hello');
        const log = events(ws);
        await until(() => log.some((e) => e.type === 'message'));
        ws.close();
        await until(() => log.some((e) => e.type === 'close'));
        return log;
      })()`);
      const open_ = log.find((e) => e.type === 'open')!;
      const message = log.find((e) => e.type === 'message')!;
      expect(message.data).toBe('hello');
      expect(message.trusted).toBe(false);
      expect(message.at - open_.at).toBeGreaterThanOrEqual(280);
      expect(log.map((e) => e.type)).toEqual(['open', 'message', 'close']);
    });

    test('a paused consumer holds messages; step hands over one; resume the rest, in order', async () => {
      const { evaluate, ws } = await open();
      const result = await evaluate<{ afterPause: number; held: unknown; afterStep: string[]; all: string[]; stats: unknown }>(`(async () => {
        const ws = new WebSocket('${ws}/echo');
        const log = events(ws);
        await until(() => ws.readyState === 1);
        const consumer = sockscope.consumer(socketId(ws));
        consumer.pause();
        for (let i = 0; i < 5; i++) ws.send('m' + i);
        const id = socketId(ws);
        await until(() => sockscope.stats(id).consumer.heldMessages === 5);
        const messages = () => log.filter((e) => e.type === 'message').map((e) => e.data);
        const afterPause = messages().length;
        const held = sockscope.stats(id).consumer;
        consumer.step();
        const afterStep = messages();
        consumer.resume();
        // The rest arrive as native messages do, each in a task of its own.
        await until(() => messages().length === 5);
        const all = messages();
        ws.close();
        await until(() => log.some((e) => e.type === 'close'));
        return { afterPause, held, afterStep, all, stats: sockscope.stats(id) };
      })()`);
      expect(result.afterPause).toBe(0);
      expect(result.held).toMatchObject({ heldMessages: 5, heldBytes: 10, paused: true });
      expect(result.afterStep).toEqual(['m0']);
      expect(result.all).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
      expect(result.stats).toMatchObject({ consumer: { heldMessages: 0, deliveredMessages: 5, paused: false } });
    });

    test('held sends count in bufferedAmount, go out in order, and close() waits behind them', async () => {
      const { evaluate, ws } = await open();
      const result = await evaluate<{ buffered: number; stateAfterClose: number; log: { type: string; data?: string; code?: number; wasClean?: boolean }[]; drained: number }>(`(async () => {
        const ws = new WebSocket('${ws}/echo');
        const log = events(ws);
        await until(() => ws.readyState === 1);
        sockscope.shape({ match: socketId(ws), up: { bytesPerSecond: 4000 } });
        for (const text of ['a'.repeat(1000), 'b'.repeat(1000), 'c'.repeat(1000)]) ws.send(text);
        const buffered = ws.bufferedAmount;
        await until(() => log.filter((e) => e.type === 'message').length === 3);
        const drained = ws.bufferedAmount;
        ws.send('last');
        ws.close(4000, 'bye');
        const stateAfterClose = ws.readyState;
        await until(() => log.some((e) => e.type === 'close'));
        return { buffered, stateAfterClose, drained, log: log.map(({ type, data, code, wasClean }) => ({ type, data: data && data.slice(0, 4), code, wasClean })) };
      })()`);
      expect(result.buffered).toBeGreaterThanOrEqual(3000);
      expect(result.drained).toBe(0);
      expect(result.stateAfterClose).toBe(2);
      // 'last' went out before the Close frame, and its echo came back after it: a page that called close() gets no more messages.
      expect(result.log.map((e) => [e.type, e.data])).toEqual([
        ['open', undefined],
        ['message', 'aaaa'],
        ['message', 'bbbb'],
        ['message', 'cccc'],
        ['close', undefined],
      ]);
      expect(result.log.at(-1)).toMatchObject({ code: 4000, wasClean: true });
    });

    test('a server close reaches the page after the messages held before it', async () => {
      const { evaluate, ws } = await open();
      const log = await evaluate<{ type: string; data?: string; state: number; code?: number }[]>(`(async () => {
        sockscope.shape({ match: '/close', down: { latencyMs: 200 } });
        const ws = new WebSocket('${ws}/close?before=3&code=4001&reason=done');
        const log = events(ws);
        await until(() => log.some((e) => e.type === 'close'));
        return log;
      })()`);
      expect(log.map((e) => [e.type, e.data, e.state])).toEqual([
        ['open', undefined, 1],
        ['message', 'm0', 1],
        ['message', 'm1', 1],
        ['message', 'm2', 1],
        ['close', undefined, 3],
      ]);
      expect(log.at(-1)?.code).toBe(4001);
    });

    test('a page that closes while messages and the close are held gets none of the messages, then the close', async () => {
      const { evaluate, ws } = await open();
      const result = await evaluate<{ before: number; after: number; log: { type: string; state: number; code?: number }[] }>(`(async () => {
        sockscope.shape({ match: '/close', down: { latencyMs: 300 } });
        const ws = new WebSocket('${ws}/close?before=2&code=4001');
        const log = events(ws);
        await until(() => ws.readyState === 1);
        // The server has sent its messages and closed; all of it is held for 300 ms.
        await new Promise((r) => setTimeout(r, 100));
        const before = ws.readyState;
        ws.close();
        const after = ws.readyState;
        await until(() => log.some((e) => e.type === 'close'));
        return { before, after, log };
      })()`);
      expect([result.before, result.after]).toEqual([1, 2]);
      expect(result.log.map((e) => [e.type, e.state])).toEqual([
        ['open', 1],
        ['close', 3],
      ]);
    });

    test('offline "drop" closes the connection: the page sees an abnormal closure', async () => {
      const { evaluate, ws } = await open();
      const log = await evaluate<{ type: string; state: number; code?: number; wasClean?: boolean }[]>(`(async () => {
        const ws = new WebSocket('${ws}/echo');
        const log = events(ws);
        await until(() => ws.readyState === 1);
        sockscope.shape({ match: socketId(ws), offline: 'drop' });
        await until(() => log.some((e) => e.type === 'close'));
        await new Promise((r) => setTimeout(r, 200));
        return log;
      })()`);
      expect(log.map((e) => [e.type, e.state])).toEqual([
        ['open', 1],
        ['error', 3],
        ['close', 3],
      ]);
      expect(log.at(-1)).toMatchObject({ code: 1006, wasClean: false });
    });

    test('WebSocketStream: writes wait for a slow up link; a paused consumer gets nothing until resumed', async () => {
      const { evaluate, ws } = await open();
      const result = await evaluate<{ writeMs: number; echoes: string[]; readWhilePaused: boolean; afterResume: string; stats: unknown }>(`(async () => {
        sockscope.shape({ match: '/echo', up: { bytesPerSecond: 2000 } });
        const stream = new WebSocketStream('${ws}/echo');
        const id = sockscope.sockets().find((s) => s.url === stream.url).id;
        const { readable, writable } = await stream.opened;
        const writer = writable.getWriter();
        const reader = readable.getReader();
        const started = performance.now();
        for (const text of ['a'.repeat(1000), 'b'.repeat(1000), 'c'.repeat(1000)]) {
          await writer.ready;
          await writer.write(text);
        }
        const writeMs = performance.now() - started;
        const echoes = [];
        for (let i = 0; i < 3; i++) echoes.push((await reader.read()).value.slice(0, 4));
        const consumer = sockscope.consumer(id);
        consumer.pause();
        await writer.write('held');
        let readWhilePaused = false;
        const pending = reader.read().then((r) => ((readWhilePaused = true), r.value));
        await new Promise((r) => setTimeout(r, 400));
        const paused = readWhilePaused;
        consumer.resume();
        const afterResume = await pending;
        stream.close();
        await stream.closed;
        return { writeMs, echoes, readWhilePaused: paused, afterResume, stats: sockscope.stats(id) };
      })()`);
      // 3,000 bytes at 2,000 bytes/s: the last write completes 1.5 s after the first began.
      expect(result.writeMs).toBeGreaterThanOrEqual(1400);
      expect(result.echoes).toEqual(['aaaa', 'bbbb', 'cccc']);
      expect(result.readWhilePaused).toBe(false);
      expect(result.afterResume).toBe('held');
      expect(result.stats).toMatchObject({ up: { heldMessages: 0, deliveredMessages: 4 } });
    });

    test('WebSocketStream: a down link delays what the page reads, in order, and delays it while the page is not reading too', async () => {
      const { evaluate, ws } = await open();
      const result = await evaluate<{ reads: [string, number][]; downWhileUnread: { heldMessages: number; deliveredMessages: number }; unread: string; ending: [string, number][] }>(`(async () => {
        sockscope.shape({ match: 'down-latency', down: { latencyMs: 300 } });
        const stream = new WebSocketStream('${ws}/echo?down-latency');
        const { readable, writable } = await stream.opened;
        const reader = readable.getReader();
        const writer = writable.getWriter();
        let sentAt = performance.now();
        for (const text of ['a', 'b', 'c', 'd', 'e']) writer.write(text);
        const reads = [];
        for (let i = 0; i < 5; i++) reads.push([(await reader.read()).value, Math.round(performance.now() - sentAt)]);
        // Sent, then not read for longer than the latency: it arrived meanwhile, as on a real link.
        await writer.write('unread');
        const id = sockscope.sockets().find((s) => s.url.endsWith('/echo?down-latency')).id;
        for (let i = 0; i < 100 && sockscope.stats(id).down.deliveredMessages < 6; i++) await new Promise((r) => setTimeout(r, 50));
        const downWhileUnread = sockscope.stats(id).down;
        const unread = (await reader.read()).value;
        // The server's close comes after the message before it.
        const closing = new WebSocketStream('${ws}/close?before=1&code=4001&down-latency');
        const closingReader = (await closing.opened).readable.getReader();
        sentAt = performance.now();
        const ending = [];
        for (let r = await closingReader.read(); ; r = await closingReader.read()) {
          ending.push([r.done ? 'done' : r.value, Math.round(performance.now() - sentAt)]);
          if (r.done) break;
        }
        stream.close();
        return { reads, downWhileUnread, unread, ending };
      })()`);
      expect(result.reads.map(([text]) => text)).toEqual(['a', 'b', 'c', 'd', 'e']);
      for (const [, ms] of result.reads) expect(ms).toBeGreaterThanOrEqual(280);
      // The link delivered it while the page was not reading: the read takes what is there.
      expect(result.downWhileUnread).toMatchObject({ heldMessages: 0, deliveredMessages: 6 });
      expect(result.unread).toBe('unread');
      expect(result.ending.map(([what]) => what)).toEqual(['m0', 'done']);
      expect(result.ending[0][1]).toBeGreaterThanOrEqual(250);
    });

    test('WebSocketStream: offline "drop" on an open stream loses the connection as the network would, held messages with it', async () => {
      const { evaluate, ws } = await open();
      const result = await evaluate<{ order: string[]; errors: unknown[]; sameObject: boolean; writeAfter: unknown; serverOpen: boolean }>(`(async () => {
        const tag = 'drop-open-' + Math.random();
        const stream = new WebSocketStream('${ws}/echo?tag=' + tag);
        const id = sockscope.sockets().find((s) => s.url === stream.url).id;
        const { readable, writable } = await stream.opened;
        const reader = readable.getReader();
        const writer = writable.getWriter();
        await writer.write('first');
        if ((await reader.read()).value !== 'first') throw new Error('no echo');
        // An echo the paused consumer holds: discarded at the drop.
        sockscope.consumer(id).pause();
        await writer.write('held');
        await new Promise((r) => setTimeout(r, 200));
        const order = [];
        const errors = [];
        const note = (what) => (error) => (order.push(what), errors.push(error));
        reader.read().then((r) => order.push('read ' + r.value), note('read'));
        reader.closed.then(() => order.push('reader closed'), note('reader.closed'));
        writer.closed.then(() => order.push('writer closed'), note('writer.closed'));
        stream.closed.then(() => order.push('closed'), note('closed'));
        sockscope.shape({ match: id, offline: 'drop' });
        await stream.closed.catch(() => {});
        const writeAfter = await writer.write('after').then(() => 'written', (e) => e === errors[0]);
        let serverOpen = true;
        for (let i = 0; i < 100 && serverOpen; i++) {
          serverOpen = await (await fetch('/alive?tag=' + tag)).json();
          if (serverOpen) await new Promise((r) => setTimeout(r, 20));
        }
        return {
          order,
          errors: errors.map((e) => ({ wse: e instanceof WebSocketError, name: e.name, message: e.message, closeCode: e.closeCode, reason: e.reason })),
          sameObject: errors.every((e) => e === errors[0]),
          writeAfter,
          serverOpen,
        };
      })()`);
      // As Chromium shows a connection whose TCP connection died (the server's terminate()).
      expect(result.order).toEqual(['reader.closed', 'read', 'writer.closed', 'closed']);
      const lost = { wse: true, name: 'WebSocketError', message: 'WebSocket was not cleanly closed.', closeCode: 1006, reason: '' };
      expect(result.errors).toEqual([lost, lost, lost, lost]);
      expect(result.sameObject).toBe(true);
      expect(result.writeAfter).toBe(true);
      expect(result.serverOpen).toBe(false);
    });

    test('WebSocketStream: offline "drop" in force before the stream opens fails the handshake as a lost connection does', async () => {
      const { evaluate, ws } = await open();
      const result = await evaluate<{ order: string[]; opened: unknown; closed: unknown; serverOpen: boolean }>(`(async () => {
        const tag = 'drop-early-' + Math.random();
        const rule = sockscope.shape({ match: tag, offline: 'drop' });
        const stream = new WebSocketStream('${ws}/delay?ms=100&tag=' + tag);
        const order = [];
        const show = (e) => ({ wse: e instanceof WebSocketError, name: e.name, message: e.message, closeCode: e.closeCode, reason: e.reason });
        const [opened, closed] = await Promise.all([
          stream.opened.then(() => 'opened', (e) => (order.push('opened'), show(e))),
          stream.closed.then(() => 'closed', (e) => (order.push('closed'), show(e))),
        ]);
        sockscope.unshape(rule);
        // Past the server's delay: a connection that was made would be open by now.
        await new Promise((r) => setTimeout(r, 300));
        const serverOpen = await (await fetch('/alive?tag=' + tag)).json();
        return { order, opened, closed, serverOpen };
      })()`);
      expect(result.order).toEqual(['opened', 'closed']);
      expect(result.opened).toEqual({ wse: true, name: 'WebSocketError', message: 'WebSocket closed before handshake complete.', closeCode: null, reason: '' });
      expect(result.closed).toEqual({ wse: true, name: 'WebSocketError', message: 'WebSocket was not cleanly closed.', closeCode: 1006, reason: '' });
      expect(result.serverOpen).toBe(false);
    });

    test('bad rules are refused with a message and change nothing', async () => {
      const { evaluate } = await open();
      const errors = await evaluate<string[]>(`(() => {
        const errors = [];
        for (const rule of [{ match: 'x', down: { latencyMs: -5 } }, { match: 'x', up: { bytesPerSecond: 1e12 } }, { match: { kind: 'regex', source: '(' } }, { match: 'x', down: { latencyMs: NaN } }]) {
          try { sockscope.shape(rule); errors.push('accepted'); } catch (e) { errors.push(e.name + ': ' + e.message.split(':')[0]); }
        }
        return errors;
      })()`);
      expect(errors).toEqual([
        'RuleError: down.latencyMs must not be negative (-5)',
        'RuleError: up.bytesPerSecond is 1000000000000, more than the limit of 10737418240',
        'RuleError: match',
        'RuleError: down.latencyMs must be a finite number, not NaN',
      ]);
    });
  });
}

const server = useConformanceServer();
const chromium = useChromium();
const firefox = useFirefox({ extension: useExtensionCopy(DIST_FIREFOX, [HOSTS.standalone]) });
const pages: { chromium?: ChromiumPage; firefox?: FirefoxPage } = {};

beforeAll(async () => {
  const init = `${standaloneShim()}\n${PAGE_HELPERS}`;
  pages.chromium = await chromium().context.newPage();
  await pages.chromium.addInitScript({ content: init });
  pages.firefox = await firefox().browser.newPage();
  // Firefox has WebSocketStream only as Sockscope provides it.
  await pages.firefox.evaluateOnNewDocument(`globalThis.sockscopeOptions = { provideWebSocketStream: true };\n${init}`);
});

const pageUrl = () => `${server().pageOrigin(HOSTS.standalone)}/page.html?shaping`;

shapingTests('Chromium', async () => {
  const page = pages.chromium!;
  await page.goto(pageUrl());
  return { evaluate: <T>(expression: string) => page.evaluate(expression) as Promise<T>, ws: server().socketOrigin };
});

shapingTests('Firefox', async () => {
  const page = pages.firefox!;
  await page.bringToFront();
  await page.goto(pageUrl(), { waitUntil: 'load' });
  return { evaluate: <T>(expression: string) => page.evaluate(expression) as Promise<T>, ws: server().socketOrigin };
});
