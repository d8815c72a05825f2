// The page's own control while shaping holds its messages, on every socket
// kind in both browsers, against the browser's own object: a page that
// closes in its third message handler sees exactly what it sees natively
// (no message after close(), readyState CLOSING at once, the same close), for
// every stage that holds messages; and a user's resume delivers what a rule's
// paused consumer holds.
import type { Page as ChromiumPage } from 'playwright-core';
import type { Page as FirefoxPage } from 'puppeteer-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { HOSTS } from '../conformance/server';
import { useChromium, useConformanceServer, useExtensionCopy, useFirefox } from '../fixtures';
import { DIST_FIREFOX, standaloneShim } from '../lib/paths';

type Kind = 'WebSocket' | 'WebSocketStream';
type Evaluate = <T>(expression: string) => Promise<T>;

/** A stage that holds what the server sends, and how the test lets it go once it holds all of it. */
interface Holding {
  name: string;
  rule: object;
  /** The stats stage that holds the messages. */
  stage: 'down' | 'consumer';
  /** Page code run once the stage holds every message: what lets them through. */
  release: string;
}

const MESSAGES = 20;

const HOLDINGS: Holding[] = [
  { name: 'latency', rule: { down: { latencyMs: 400 } }, stage: 'down', release: '' },
  { name: 'rate', rule: { consumer: { messagesPerSecond: 40 } }, stage: 'consumer', release: '' },
  { name: 'bandwidth', rule: { down: { bytesPerSecond: 20 } }, stage: 'down', release: '' },
  { name: 'stall', rule: { offline: 'stall' }, stage: 'down', release: 'sockscope.unshape(ruleId);' },
  { name: 'paused consumer', rule: { consumer: { paused: true } }, stage: 'consumer', release: 'sockscope.consumer(id).resume();' },
];

/**
 * The scenario, as page code: a socket to a server that sends MESSAGES messages at once; the page
 * closes after the third. `hold` (page code) runs once the socket is open and returns when shaping
 * holds what the server sent, then lets it go; empty natively. Resolves with the trace.
 */
function closeAtThird(kind: Kind, url: string, hold: string): string {
  if (kind === 'WebSocket') {
    return `(async () => {
      const log = [];
      const ws = new WebSocket(${JSON.stringify(url)});
      let count = 0;
      ws.onopen = () => log.push(['open', ws.readyState]);
      ws.onerror = () => log.push(['error', ws.readyState]);
      ws.onmessage = (e) => {
        log.push(['message', e.data, ws.readyState]);
        if (++count === 3) {
          ws.close();
          log.push(['close() called', ws.readyState]);
        }
      };
      const closed = new Promise((resolve) => ws.addEventListener('close', (e) => resolve(log.push(['close', e.code, e.reason, e.wasClean, ws.readyState]))));
      await new Promise((resolve) => ws.addEventListener('open', resolve));
      ${hold}
      await Promise.race([closed, new Promise((resolve) => setTimeout(() => resolve(log.push(['no close after 10 s'])), 10_000))]);
      // Anything dispatched after the close would show here.
      await new Promise((resolve) => setTimeout(resolve, 200));
      return log;
    })()`;
  }
  return `(async () => {
    const log = [];
    const stream = new WebSocketStream(${JSON.stringify(url)});
    const { readable } = await stream.opened;
    const reader = readable.getReader();
    const timeout = () => new Promise((resolve) => setTimeout(() => resolve(['no answer after 10 s']), 10_000));
    const holding = (async () => { ${hold} })().catch((error) => log.push(['hold failed', String(error)]));
    for (let i = 0; i < 3; i++) {
      log.push(await Promise.race([reader.read().then(({ value, done }) => ['read', value, done]), timeout()]));
    }
    // Reads come as the stream has them, not a message a turn: let what is on its way arrive.
    await new Promise((resolve) => setTimeout(resolve, 100));
    stream.close();
    log.push(['close() called']);
    for (let i = 0; i <= ${MESSAGES}; i++) {
      const result = await Promise.race([reader.read().then(({ value, done }) => ['read', value, done], (error) => ['read rejected', error.name]), timeout()]);
      log.push(result);
      if (result[0] !== 'read' || result[2]) break;
    }
    log.push(await Promise.race([stream.closed.then(({ closeCode, reason }) => ['closed', closeCode, reason], (error) => ['closed rejected', error.name]), timeout()]));
    await holding;
    return log;
  })()`;
}

/** Page code: applies the rule to the socket `url` names, waits (bounded) until the stage holds every message, releases. */
function holdThenRelease(url: string, holding: Holding): string {
  return `
    const ruleId = sockscope.shape({ match: ${JSON.stringify(new URL(url).search)}, ...${JSON.stringify(holding.rule)} });
    const id = sockscope.sockets().findLast((s) => s.url === ${JSON.stringify(url)}).id;
    for (let i = 0; i < 500 && sockscope.stats(id).${holding.stage}.heldMessages < 1; i++) await new Promise((r) => setTimeout(r, 10));
    ${holding.release}
  `;
}

/**
 * What a slow native reader of a stream gets, given what a fast one got: the same up to close(),
 * then a prefix of the messages read after it, then the same end. Checked against `trace`, the
 * shim's: how many of those messages it read is the one thing left to it.
 */
function slowReaderOf(reference: unknown[], trace: unknown[]): unknown[] {
  const closeAt = reference.findIndex((entry) => (entry as unknown[])[0] === 'close() called');
  const isMessage = (entry: unknown) => (entry as unknown[])[0] === 'read' && (entry as unknown[])[2] === false;
  const readAfter = trace.slice(closeAt + 1).filter(isMessage).length;
  const messagesAfter = reference.slice(closeAt + 1).filter(isMessage);
  const end = reference.slice(closeAt + 1).filter((entry) => !isMessage(entry));
  return [...reference.slice(0, closeAt + 1), ...messagesAfter.slice(0, readAfter), ...end];
}

interface Target {
  browser: string;
  kind: Kind;
  label: string;
  /** The shimmed page, and a page of the same browser where the socket is the browser's own (or, where it has none, Sockscope's unshaped). */
  shim: () => Promise<Evaluate>;
  native: () => Promise<Evaluate>;
  /**
   * The shim reads the native stream only as fast as its consumer takes messages, so a held consumer
   * is a slow native reader: Chromium loses the messages not yet in its readable when the Close
   * arrives (docs/limits.md), as it does for a page that reads slowly.
   */
  realBackpressure: boolean;
}

const server = useConformanceServer();
const chromium = useChromium();
const firefox = useFirefox({ extension: useExtensionCopy(DIST_FIREFOX, [HOSTS.native, HOSTS.standalone]) });
let serial = 0;
/** A fresh URL per run: the rule matches it alone. */
const socketUrl = () => `${server().socketOrigin}/many?n=${MESSAGES}&size=8&run=${++serial}`;
const pageUrl = (host: string) => `${server().pageOrigin(host)}/page.html`;

async function chromiumPage(options: string | null): Promise<Evaluate> {
  const page: ChromiumPage = await chromium().context.newPage();
  if (options !== null) await page.addInitScript({ content: `globalThis.sockscopeOptions = ${options};\n${standaloneShim()}` });
  await page.goto(pageUrl(options === null ? HOSTS.native : HOSTS.standalone));
  return (expression) => page.evaluate(expression);
}

async function firefoxPage(options: string | null): Promise<Evaluate> {
  const page: FirefoxPage = await firefox().browser.newPage();
  if (options !== null) await page.evaluateOnNewDocument(`globalThis.sockscopeOptions = ${options};\n${standaloneShim()}`);
  await page.goto(pageUrl(options === null ? HOSTS.native : HOSTS.standalone), { waitUntil: 'load' });
  // A background tab's timers are throttled: each run gets the front.
  return async (expression) => {
    await page.bringToFront();
    return page.evaluate(expression) as never;
  };
}

const TARGETS: Target[] = [
  { browser: 'Chromium', kind: 'WebSocket', label: 'WebSocket', shim: () => chromiumPage('{}'), native: () => chromiumPage(null), realBackpressure: false },
  { browser: 'Chromium', kind: 'WebSocketStream', label: 'WebSocketStream', shim: () => chromiumPage('{}'), native: () => chromiumPage(null), realBackpressure: true },
  {
    browser: 'Chromium',
    kind: 'WebSocket',
    label: 'WebSocket carried over WebSocketStream',
    shim: () => chromiumPage('{ classicOverStream: true }'),
    native: () => chromiumPage(null),
    realBackpressure: true,
  },
  { browser: 'Firefox', kind: 'WebSocket', label: 'WebSocket', shim: () => firefoxPage('{}'), native: () => firefoxPage(null), realBackpressure: false },
  {
    browser: 'Firefox',
    kind: 'WebSocketStream',
    label: 'the provided WebSocketStream (its unshaped self as the reference: Firefox has none of its own)',
    shim: () => firefoxPage('{ provideWebSocketStream: true }'),
    native: () => firefoxPage('{ provideWebSocketStream: true }'),
    realBackpressure: false,
  },
];

for (const target of TARGETS) {
  describe(`${target.browser}, ${target.label}: held messages and the page's own control`, () => {
    let shim: Evaluate;
    let native: Evaluate;
    let reference: unknown[];

    beforeAll(async () => {
      [shim, native] = [await target.shim(), await target.native()];
      reference = await native<unknown[]>(closeAtThird(target.kind, socketUrl(), ''));
    });

    test('the reference trace: three messages, then close(), then the close', () => {
      const steps = reference.map((entry) => (entry as unknown[])[0]);
      expect(steps.indexOf('close() called')).toBe(target.kind === 'WebSocket' ? 4 : 3);
      expect(steps.at(-1)).toBe(target.kind === 'WebSocket' ? 'close' : 'closed');
    });

    for (const holding of HOLDINGS) {
      test(`closing in the third message's turn while ${holding.name} holds the rest: the trace equals native's`, async () => {
        const url = socketUrl();
        const trace = await shim<unknown[]>(closeAtThird(target.kind, url, holdThenRelease(url, holding)));
        if (target.realBackpressure && target.kind === 'WebSocketStream' && holding.stage === 'consumer') expect(trace).toEqual(slowReaderOf(reference, trace));
        else expect(trace).toEqual(reference);
      });
    }

    test("a user's resume overrides a rule's paused consumer: held messages and the server's close reach the page", async () => {
      const url = `${server().socketOrigin}/close?before=3&code=4000&reason=bye&run=${++serial}`;
      const result = await shim<{ log: unknown[]; paused: boolean[]; overridden: boolean }>(`(async () => {
        sockscope.shape({ match: ${JSON.stringify(new URL(url).search)}, consumer: { paused: true } });
        const log = [];
        ${
          target.kind === 'WebSocket'
            ? `const ws = new WebSocket(${JSON.stringify(url)});
               ws.onmessage = (e) => log.push(['message', e.data]);
               const done = new Promise((resolve) => (ws.onclose = (e) => resolve(log.push(['close', e.code, e.reason, e.wasClean]))));`
            : `const stream = new WebSocketStream(${JSON.stringify(url)});
               const done = (async () => {
                 const reader = (await stream.opened).readable.getReader();
                 for (let r = await reader.read(); !r.done; r = await reader.read()) log.push(['message', r.value]);
                 const { closeCode, reason } = await stream.closed;
                 log.push(['close', closeCode, reason, true]);
               })();`
        }
        await new Promise((r) => setTimeout(r, 50));
        const id = sockscope.sockets().findLast((s) => s.url === ${JSON.stringify(url)}).id;
        for (let i = 0; i < 500 && sockscope.stats(id).consumer.heldMessages < 1; i++) await new Promise((r) => setTimeout(r, 10));
        const paused = [sockscope.stats(id).consumer.paused];
        const heldBefore = log.length;
        sockscope.consumer(id).resume();
        await Promise.race([done, new Promise((resolve) => setTimeout(() => resolve(log.push(['nothing more after 10 s'])), 10_000))]);
        paused.push(sockscope.stats(id).consumer.paused);
        return { log: [heldBefore, ...log], paused, overridden: sockscope.stats(id).consumer.overridden };
      })()`);
      expect(result.paused).toEqual([true, false]);
      expect(result.overridden).toBe(true);
      const sent = [['message', 'm0'], ['message', 'm1'], ['message', 'm2']];
      // With real backpressure the consumer held m0 alone; Chromium may lose m1 and m2 when the Close arrives.
      const got = target.realBackpressure ? sent.slice(0, Math.max(1, result.log.length - 2)) : sent;
      expect(result.log).toEqual([0, ...got, ['close', 4000, 'bye', true]]);
    });
  });
}
