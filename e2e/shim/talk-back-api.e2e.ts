// Talking back through dist/shim.js's API (send, inject, close), in Chromium
// and Firefox, on every socket kind. Differential: the same page code runs
// twice, once with a real server and the page itself acting (the reference:
// the native socket where the browser has one, else the provided stream) and
// once with Sockscope acting; what the page observes and what the server
// hears must be equal. The server side is the conformance server's /relay.
import type { Page as ChromiumPage } from 'playwright-core';
import type { Page as FirefoxPage } from 'puppeteer-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { HOSTS } from '../conformance/server';
import { useChromium, useConformanceServer, useExtensionCopy, useFirefox } from '../fixtures';
import { DIST_FIREFOX, standaloneShim } from '../lib/paths';

/** Helpers defined in every page, shim or not, before each test's code. */
const PAGE_HELPERS = `
  globalThis.until = async (ready, ms = 5000) => {
    for (let waited = 0; !ready(); waited += 10) {
      if (waited > ms) throw new Error('timed out waiting for ' + ready);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  const bytes = (data) => [...(data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength))];
  const describe = (data) =>
    typeof data === 'string' ? ['text', data]
    : data instanceof ArrayBuffer ? ['ArrayBuffer', bytes(data)]
    : data instanceof Blob ? ['Blob', data.size, data.type]
    : ArrayBuffer.isView(data) ? [data.constructor.name, bytes(data)]
    : ['other', String(data)];
  const base64 = (data) => btoa(String.fromCharCode(...bytes(data)));

  async function openSocket(url, log) {
    const ws = new WebSocket(url);
    for (const type of ['open', 'message', 'error', 'close']) {
      ws.addEventListener(type, (e) => log.push(
        type === 'message' ? ['message', ws.readyState, e.origin, describe(e.data)]
        : type === 'close' ? ['close', ws.readyState, e.code, e.reason, e.wasClean]
        : [type, ws.readyState]));
    }
    await until(() => ws.readyState !== 0);
    return {
      send: (data) => ws.send(data),
      close: (code, reason) => (code === undefined ? ws.close() : ws.close(code, reason)),
      setBinaryType: (type) => void (ws.binaryType = type),
      bufferedAmount: () => ws.bufferedAmount,
      ended: () => log.some((e) => e[0] === 'close'),
    };
  }

  async function openStream(url, log) {
    const stream = new WebSocketStream(url);
    stream.closed.then((c) => log.push(['closed', c.closeCode, c.reason]), (e) => log.push(['closed-error', e.name, e.closeCode]));
    const { readable, writable } = await stream.opened;
    log.push(['opened']);
    const reader = readable.getReader();
    const writer = writable.getWriter();
    (async () => {
      try {
        for (;;) {
          const r = await reader.read();
          if (r.done) return void log.push(['done']);
          log.push(['chunk', describe(r.value)]);
        }
      } catch (e) {
        log.push(['read-error', e.name]);
      }
    })();
    return {
      // Awaitable: a stream's writes wait in the page's own writable until the one before is done.
      send: (data) => writer.write(data),
      close: (code, reason) => stream.close({ closeCode: code, reason }),
      setBinaryType: () => {},
      bufferedAmount: () => 0,
      ended: () => log.some((e) => e[0] === 'closed' || e[0] === 'closed-error'),
    };
  }

  /** The socket under test and its remote on the server's /relay. */
  globalThis.openRelay = async (kind, origin) => {
    const url = origin + '/relay?tag=' + Math.random().toString(36).slice(2);
    const remote = new WebSocket(url + '&control');
    await new Promise((resolve, reject) => { remote.onopen = resolve; remote.onerror = reject; });
    const replies = [];
    remote.onmessage = (e) => replies.push(JSON.parse(e.data));
    const log = [];
    const socket = kind === 'WebSocketStream' ? await openStream(url, log) : await openSocket(url, log);
    const relay = {
      log,
      socket,
      id: () => sockscope.sockets().find((s) => s.url === url).id,
      async heard() {
        remote.send(JSON.stringify({ heard: true }));
        await until(() => replies.length > 0);
        return replies.shift();
      },
      /** Until the server heard at least n things (a close reaches it once the closing handshake is through), at most 2 s. */
      async hearsAtLeast(n) {
        for (let i = 0; i < 100 && (await relay.heard()).length < n; i++) await new Promise((r) => setTimeout(r, 20));
      },
      tell: (command) => remote.send(JSON.stringify(command)),
      received: () => log.filter((e) => e[0] === 'message' || e[0] === 'chunk').length,
      async end() {
        if (!socket.ended()) socket.close();
        await until(socket.ended);
        remote.close();
      },
    };
    return relay;
  };

  /** The same acts, by the reference (a real server, the page itself) or by Sockscope. */
  globalThis.actor = (by, relay) => by === 'reference'
    ? {
        inject: (data) => relay.tell(typeof data === 'string' ? { say: data } : { sayBytes: base64(data) }),
        send: (data) => relay.socket.send(data),
        close: (code, reason) => relay.socket.close(code, reason),
        serverClose: (code, reason) => relay.tell({ close: [code, reason] }),
      }
    : {
        inject: (data) => sockscope.inject(relay.id(), data),
        send: (data) => sockscope.send(relay.id(), data),
        close: (code, reason) => sockscope.close(relay.id(), code, reason),
        serverClose: (code, reason) => sockscope.serverClose(relay.id(), code, reason),
      };
`;

type PageName = 'native' | 'shim' | 'overStream';
type Evaluate = <T>(page: PageName, expression: string) => Promise<T>;

interface KindCase {
  name: string;
  kind: 'WebSocket' | 'WebSocketStream';
  /** Where the reference runs: the native page, or the provided stream's own page where the browser has no native one. */
  reference: PageName;
  /** Where Sockscope acts. */
  sockscope: PageName;
}

interface Trace {
  log: unknown[];
  heard: unknown[];
  messages?: { direction: string; type: string; data: string; mark?: string }[];
  /** Sockscope's record of the socket at the end: readyState, closeCode, closeReason, wasClean. */
  record?: unknown[];
}

function talkBackTests(browser: string, cases: KindCase[], evaluate: Evaluate, socketOrigin: () => string) {
  for (const kindCase of cases) {
    describe(`talking back through the API, ${browser}, ${kindCase.name}`, () => {
      /**
       * Runs `body` (page code using `relay`, `act` and `arg`) by the reference and by Sockscope, each on
       * its page (or both on `page`, where the body needs Sockscope's API); returns both traces.
       */
      async function both(body: string, arg: unknown = null, page?: PageName): Promise<Record<'reference' | 'sockscope', Trace>> {
        const run = (by: 'reference' | 'sockscope') =>
          evaluate<Trace>(
            page ?? kindCase[by],
            `(async () => {
              const arg = ${JSON.stringify(arg)};
              const relay = await openRelay(${JSON.stringify(kindCase.kind)}, ${JSON.stringify(socketOrigin())});
              const act = actor(${JSON.stringify(by)}, relay);
              ${body}
              const heard = await relay.heard();
              const ours = globalThis.sockscope && ${JSON.stringify(by)} === 'sockscope';
              const messages = ours ? sockscope.messages(relay.id()) : undefined;
              await relay.end();
              const info = ours ? sockscope.sockets().find((s) => s.id === relay.id()) : undefined;
              const record = info && [info.readyState, info.closeCode, info.closeReason, info.wasClean];
              return { log: relay.log, heard, messages, record };
            })()`,
          );
        return { reference: await run('reference'), sockscope: await run('sockscope') };
      }
      const comparable = ({ log, heard }: Trace) => ({ log, heard });

      const binaryTypes = kindCase.kind === 'WebSocket' ? ['arraybuffer', 'blob'] : ['(none)'];
      for (const binaryType of binaryTypes) {
        test(`inject: the page gets text and binary as from the server (binaryType ${binaryType}); the server hears nothing`, async () => {
          const traces = await both(
            `relay.socket.setBinaryType(arg);
             act.inject('hello');
             act.inject(new Uint8Array([1, 2, 250]).buffer);
             await until(() => relay.received() === 2);`,
            binaryType,
          );
          expect(comparable(traces.sockscope)).toEqual(comparable(traces.reference));
          expect(traces.reference.heard).toEqual([]);
          expect(traces.sockscope.messages!.map(({ direction, type, data, mark }) => [direction, type, data, mark])).toEqual([
            ['receive', 'text', 'hello', 'injected'],
            ['receive', 'binary', 'AQL6', 'injected'],
          ]);
        });
      }

      test('send: the server gets text and binary as the page sends them, in order with the page\'s own sends', async () => {
        const traces = await both(
          `await relay.socket.send('a');
           act.send('b');
           await relay.socket.send(new Uint8Array([1, 2]));
           act.send(new Uint16Array([0x0403, 0x0605]));
           await relay.socket.send('c');
           await relay.hearsAtLeast(5);`,
        );
        expect(comparable(traces.sockscope)).toEqual(comparable(traces.reference));
        expect(traces.reference.heard).toEqual([['a'], ['b'], [null, 'AQI='], [null, 'AwQFBg=='], ['c']]);
        expect(traces.sockscope.messages!.map(({ direction, data, mark }) => [direction, data, mark ?? null])).toEqual([
          ['send', 'a', null],
          ['send', 'b', 'sent'],
          ['send', 'AQI=', null],
          ['send', 'AwQFBg==', 'sent'],
          ['send', 'c', null],
        ]);
      });

      test('close: both ends see the code and reason, as after the page\'s own close()', async () => {
        const traces = await both(
          `act.close(4001, 'bye');
           await until(relay.socket.ended);
           await relay.hearsAtLeast(1);`,
        );
        expect(comparable(traces.sockscope)).toEqual(comparable(traces.reference));
        expect(traces.reference.heard).toEqual([['close', 4001, 'bye']]);
      });

      for (const [code, reason] of [[1012, 'restart'], [4000, 'kicked']] as const) {
        test(`serverClose ${code}: the page sees the clean close a server's would cause, after what came before it; the real connection closes`, async () => {
          const traces = await both(
            `relay.tell({ say: 'last words' });
             await until(() => relay.received() === 1);
             act.serverClose(${code}, ${JSON.stringify(reason)});
             await until(relay.socket.ended);
             await relay.hearsAtLeast(1);`,
          );
          expect(comparable(traces.sockscope)).toEqual({ ...comparable(traces.reference), heard: traces.sockscope.heard });
          expect(traces.sockscope.record).toEqual([3, code, reason, true]);
          expect(traces.reference.heard).toEqual([['close', code, reason]]);
          // The server sees the page's side close, with no code.
          expect(traces.sockscope.heard).toEqual([['close', 1005, '']]);
        });
      }

      test('inject waits for a paused consumer as a server message does, and reaches the page once it resumes', async () => {
        const traces = await both(
          `const consumer = sockscope.consumer(relay.id());
           consumer.pause();
           act.inject('one');
           act.inject('two');
           await new Promise((r) => setTimeout(r, 200));
           relay.log.push(['received while paused', relay.received()]);
           consumer.resume();
           await until(() => relay.received() === 2);`,
          null,
          kindCase.sockscope,
        );
        expect(comparable(traces.sockscope)).toEqual(comparable(traces.reference));
        // A stream's read already waiting when the consumer paused takes the next message, as it would natively.
        expect(traces.reference.log).toContainEqual(['received while paused', kindCase.kind === 'WebSocket' ? 0 : 1]);
      });

      test('a breakpoint holds a send (the server hears nothing; bufferedAmount counts it, a stream\'s write stays pending), then the edit goes, and the sends behind it in order', async () => {
        const result = await evaluate<{ rule: number; whileHeld: unknown[]; buffered: number; written: number; paused: unknown[]; heard: unknown[]; marks: unknown[] }>(
          kindCase.sockscope,
          `(async () => {
            const relay = await openRelay(${JSON.stringify(kindCase.kind)}, ${JSON.stringify(socketOrigin())});
            const rule = sockscope.intercept({ match: relay.id(), direction: 'send', data: /^stop/, action: 'pause' });
            let written = 0;
            for (const data of ['stop here', 'one', 'two']) Promise.resolve(relay.socket.send(data)).then(() => written++);
            await new Promise((r) => setTimeout(r, 100));
            const whileHeld = await relay.heard();
            const buffered = relay.socket.bufferedAmount();
            const writtenWhileHeld = written;
            const paused = sockscope.paused();
            sockscope.release(paused[0].id, { data: 'edited' });
            await relay.hearsAtLeast(3);
            const heard = await relay.heard();
            sockscope.unintercept(rule);
            const marks = sockscope.messages(relay.id()).map((m) => [m.data, m.mark ?? null, m.original ?? null]);
            await relay.end();
            return { rule, whileHeld, buffered, written: writtenWhileHeld, paused, heard, marks };
          })()`,
        );
        expect(result.whileHeld).toEqual([]);
        if (kindCase.kind === 'WebSocket') expect(result.buffered).toBe('stop here'.length + 'one'.length + 'two'.length);
        // A stream's writes go one at a time: the held one stays pending, and the page's writable keeps the rest.
        else expect(result.written).toBe(0);
        expect(result.paused).toEqual([{ id: expect.any(Number), ruleId: result.rule, socketId: expect.any(Number), direction: 'send', type: 'text', size: 9, data: 'stop here' }]);
        expect(result.heard).toEqual([['edited'], ['one'], ['two']]);
        expect(result.marks).toEqual([
          ['edited', 'edited', 'stop here'],
          ['one', null, null],
          ['two', null, null],
        ]);
      });

      test('a reply rule answers a send without the server; a drop rule drops; a rewrite edits what the page receives', async () => {
        const result = await evaluate<{ log: unknown[]; heard: unknown[]; marks: unknown[] }>(
          kindCase.sockscope,
          `(async () => {
            const relay = await openRelay(${JSON.stringify(kindCase.kind)}, ${JSON.stringify(socketOrigin())});
            sockscope.intercept({ match: relay.id(), direction: 'send', data: 'ping', action: { reply: 'pong' } });
            sockscope.intercept({ match: relay.id(), direction: 'send', data: 'secret', action: 'drop' });
            sockscope.intercept({ match: relay.id(), direction: 'receive', action: { replace: [/price=\\d+/, 'price=0'] } });
            relay.socket.send('ping');
            relay.socket.send('secret');
            relay.socket.send('plain');
            relay.tell({ say: 'price=42' });
            await until(() => relay.received() === 2);
            await relay.hearsAtLeast(1);
            const heard = await relay.heard();
            const marks = sockscope.messages(relay.id()).map((m) => [m.direction, m.data, m.mark ?? null]);
            const log = relay.log.filter((e) => e[0] === 'message' || e[0] === 'chunk').map((e) => e[e.length - 1]);
            await relay.end();
            return { log, heard, marks };
          })()`,
        );
        expect(result.log).toEqual([
          ['text', 'pong'],
          ['text', 'price=0'],
        ]);
        expect(result.heard).toEqual([['plain']]);
        expect(result.marks).toEqual([
          ['send', 'ping', 'mocked'],
          ['receive', 'pong', 'mocked'],
          ['send', 'secret', 'dropped'],
          ['send', 'plain', null],
          ['receive', 'price=0', 'edited'],
        ]);
      });

      test('a breakpoint holds a received message and what follows it; dropped, the next one arrives', async () => {
        const result = await evaluate<{ rule: number; whileHeld: number; paused: unknown[]; log: unknown[]; marks: unknown[] }>(
          kindCase.sockscope,
          `(async () => {
            const relay = await openRelay(${JSON.stringify(kindCase.kind)}, ${JSON.stringify(socketOrigin())});
            const rule = sockscope.intercept({ match: relay.id(), direction: 'receive', data: 'hold', action: 'pause' });
            relay.tell({ say: 'hold me' });
            relay.tell({ say: 'after' });
            await until(() => sockscope.paused().length === 1);
            await new Promise((r) => setTimeout(r, 100));
            const whileHeld = relay.received();
            const paused = sockscope.paused();
            sockscope.release(paused[0].id, { drop: true });
            await until(() => relay.received() === 1);
            const marks = sockscope.messages(relay.id()).map((m) => [m.direction, m.data, m.mark ?? null]);
            const log = relay.log.filter((e) => e[0] === 'message' || e[0] === 'chunk').map((e) => e[e.length - 1]);
            await relay.end();
            return { rule, whileHeld, paused, log, marks };
          })()`,
        );
        expect(result.whileHeld).toBe(0);
        expect(result.paused).toEqual([{ id: expect.any(Number), ruleId: result.rule, socketId: expect.any(Number), direction: 'receive', type: 'text', size: 7, data: 'hold me' }]);
        expect(result.log).toEqual([['text', 'after']]);
        expect(result.marks).toEqual([
          ['receive', 'hold me', 'dropped'],
          ['receive', 'after', null],
        ]);
      });

      for (const binaryType of binaryTypes) {
        test(`a reply rule's answer reaches the page as the server's reply does (binaryType ${binaryType}); the server hears nothing`, async () => {
          const run = (by: 'reference' | 'sockscope') =>
            evaluate<{ log: unknown[]; heard: unknown[] }>(
              kindCase[by],
              `(async () => {
                const relay = await openRelay(${JSON.stringify(kindCase.kind)}, ${JSON.stringify(socketOrigin())});
                relay.socket.setBinaryType(${JSON.stringify(binaryType)});
                const rules = ${JSON.stringify(by)} === 'sockscope'
                  ? [sockscope.intercept({ match: relay.id(), direction: 'send', data: 'ping', action: { reply: 'pong' } }),
                     sockscope.intercept({ match: relay.id(), direction: 'send', data: 'bytes?', action: { reply: new Uint8Array([7, 8, 9]) } })]
                  : [];
                relay.socket.send('ping');
                relay.socket.send('bytes?');
                // The reference: the server answers once it has both.
                if (rules.length === 0) {
                  await relay.hearsAtLeast(2);
                  relay.tell({ say: 'pong' });
                  relay.tell({ sayBytes: 'BwgJ' });
                }
                await until(() => relay.received() === 2);
                const heard = rules.length === 0 ? [] : await relay.heard();
                for (const rule of rules) sockscope.unintercept(rule);
                await relay.end();
                return { log: relay.log, heard };
              })()`,
            );
          const reference = await run('reference');
          expect(await run('sockscope')).toEqual(reference);
        });
      }

      test('a refuse rule fails a new socket\'s handshake as a server refusing it does; an open socket keeps working', async () => {
        const run = (by: 'reference' | 'sockscope') =>
          evaluate<{ log: unknown[]; heard: unknown[] }>(
            kindCase[by],
            `(async () => {
              const origin = ${JSON.stringify(socketOrigin())};
              const relay = await openRelay(${JSON.stringify(kindCase.kind)}, origin);
              const tag = Math.random().toString(36).slice(2);
              // The reference: a server that answers the handshake with 403.
              const url = ${JSON.stringify(by)} === 'reference' ? origin + '/status?code=403&tag=' + tag : origin + '/relay?tag=' + tag;
              const rule = ${JSON.stringify(by)} === 'sockscope' ? sockscope.shape({ match: '?tag=', offline: 'refuse' }) : null;
              const log = [];
              if (${JSON.stringify(kindCase.kind)} === 'WebSocket') {
                const ws = new WebSocket(url);
                for (const type of ['open', 'error', 'close']) {
                  ws.addEventListener(type, (e) => log.push(type === 'close' ? [type, ws.readyState, e.code, e.reason, e.wasClean] : [type, ws.readyState]));
                }
                await until(() => log.some((e) => e[0] === 'close'));
              } else {
                const stream = new WebSocketStream(url);
                await stream.opened.then(() => log.push(['opened']), (e) => log.push(['opened-error', e.name, e.closeCode ?? null]));
                await stream.closed.then((c) => log.push(['closed', c.closeCode]), (e) => log.push(['closed-error', e.name, e.closeCode ?? null]));
              }
              // The relay's socket was open when the rule came: it still talks.
              await relay.socket.send('still here');
              await relay.hearsAtLeast(1);
              const heard = await relay.heard();
              if (rule !== null) sockscope.unshape(rule);
              await relay.end();
              return { log, heard };
            })()`,
          );
        const reference = await run('reference');
        expect(await run('sockscope')).toEqual(reference);
        expect(reference.heard).toEqual([['still here']]);
        expect(reference.log).toEqual(
          kindCase.kind === 'WebSocket'
            ? [['error', 3], ['close', 3, 1006, '', false]]
            : [['opened-error', 'WebSocketError', null], ['closed-error', 'WebSocketError', 1006]],
        );
      });

      test('bad input is refused with its reason, and nothing reaches either end', async () => {
        const result = await evaluate<{ errors: string[]; heard: unknown[]; messages: number; log: unknown[] }>(
          kindCase.sockscope,
          `(async () => {
            const relay = await openRelay(${JSON.stringify(kindCase.kind)}, ${JSON.stringify(socketOrigin())});
            const id = relay.id();
            const errors = [];
            const attempt = (fn) => { try { fn(); errors.push('no error'); } catch (e) { errors.push(e.name + ': ' + e.message); } };
            attempt(() => sockscope.send(987654, 'x'));
            attempt(() => sockscope.send('1', 'x'));
            attempt(() => sockscope.send(id, { text: 'x' }));
            attempt(() => sockscope.inject(id, 42));
            attempt(() => sockscope.inject(id, 'x'.repeat(16 * 1024 * 1024 + 1)));
            attempt(() => sockscope.close(id, 1001));
            attempt(() => sockscope.close(id, '4000'));
            attempt(() => sockscope.close(id, 4000, 'é'.repeat(62)));
            attempt(() => sockscope.serverClose(id, 1006));
            attempt(() => sockscope.serverClose(id, 1012, 5));
            const connecting = new WebSocket(${JSON.stringify(socketOrigin())} + '/delay?ms=300');
            attempt(() => sockscope.send(sockscope.sockets().find((s) => s.url.endsWith('/delay?ms=300') && s.readyState === 0).id, 'x'));
            connecting.close();
            await new Promise((r) => setTimeout(r, 100));
            const heard = await relay.heard();
            const messages = sockscope.messages(id).length;
            const log = relay.log.slice();
            await relay.end();
            attempt(() => sockscope.send(id, 'after close'));
            return { errors, heard, messages, log };
          })()`,
        );
        expect(result.errors).toEqual([
          'RangeError: send: no socket 987654 is open in this page',
          'TypeError: send: a socket id is a number (got string)',
          'TypeError: send: a message is a string, an ArrayBuffer or an ArrayBufferView',
          'TypeError: inject: a message is a string, an ArrayBuffer or an ArrayBufferView',
          'RangeError: inject: the message is 16777217 bytes, over the limit of 16777216',
          'InvalidAccessError: close: The close code must be either 1000, or between 3000 and 4999. 1001 is neither.',
          'TypeError: close: the code is an integer, 1000 or 3000–4999 (got string)',
          'SyntaxError: close: The close reason must not be greater than 123 UTF-8 bytes.',
          'RangeError: serverClose: the code is one a server sends: 1000–1003, 1007–1014 or 3000–4999 (got 1006)',
          'TypeError: serverClose: the reason is a string (got number)',
          expect.stringMatching(/^InvalidStateError: send: socket \d+ is not open \(it is connecting or closing\)$/),
          expect.stringMatching(/^RangeError: send: no socket \d+ is open in this page$/),
        ]);
        expect(result.heard).toEqual([]);
        expect(result.messages).toBe(0);
        expect(result.log.filter((e) => (e as string[])[0] === 'message' || (e as string[])[0] === 'chunk')).toEqual([]);
      });
    });
  }
}

const server = useConformanceServer();
const chromium = useChromium();
const firefox = useFirefox({ extension: useExtensionCopy(DIST_FIREFOX, [HOSTS.native, HOSTS.standalone]) });
const pages: { chromium: Partial<Record<PageName, ChromiumPage>>; firefox: Partial<Record<PageName, FirefoxPage>> } = { chromium: {}, firefox: {} };
const HOST_OF: Record<PageName, string> = { native: HOSTS.native, shim: HOSTS.standalone, overStream: HOSTS.overStream };
const pageUrl = (name: PageName) => `${server().pageOrigin(HOST_OF[name])}/page.html?talk-back`;

beforeAll(async () => {
  const shim = (options: object) => `globalThis.sockscopeOptions = ${JSON.stringify(options)};\n${standaloneShim()}\n${PAGE_HELPERS}`;
  const chromiumInit: Record<PageName, string> = { native: PAGE_HELPERS, shim: shim({}), overStream: shim({ classicOverStream: true }) };
  for (const name of ['native', 'shim', 'overStream'] as const) {
    const page = await chromium().context.newPage();
    await page.addInitScript({ content: chromiumInit[name] });
    await page.goto(pageUrl(name));
    pages.chromium[name] = page;
  }
  // Firefox has WebSocketStream only as Sockscope provides it.
  const firefoxInit: Partial<Record<PageName, string>> = { native: PAGE_HELPERS, shim: shim({ provideWebSocketStream: true }) };
  for (const name of ['native', 'shim'] as const) {
    const page = await firefox().browser.newPage();
    await page.evaluateOnNewDocument(firefoxInit[name]!);
    await page.goto(pageUrl(name), { waitUntil: 'load' });
    pages.firefox[name] = page;
  }
});

talkBackTests(
  'Chromium',
  [
    { name: 'WebSocket', kind: 'WebSocket', reference: 'native', sockscope: 'shim' },
    { name: 'WebSocketStream', kind: 'WebSocketStream', reference: 'native', sockscope: 'shim' },
    { name: 'WebSocket over a stream', kind: 'WebSocket', reference: 'native', sockscope: 'overStream' },
  ],
  <T,>(name: PageName, expression: string) => pages.chromium[name]!.evaluate(expression) as Promise<T>,
  () => server().socketOrigin,
);

talkBackTests(
  'Firefox',
  [
    { name: 'WebSocket', kind: 'WebSocket', reference: 'native', sockscope: 'shim' },
    { name: 'the provided WebSocketStream', kind: 'WebSocketStream', reference: 'shim', sockscope: 'shim' },
  ],
  async <T,>(name: PageName, expression: string) => {
    const page = pages.firefox[name]!;
    await page.bringToFront();
    return page.evaluate(expression) as Promise<T>;
  },
  () => server().socketOrigin,
);
