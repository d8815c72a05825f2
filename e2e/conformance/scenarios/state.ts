// readyState, bufferedAmount, binaryType, protocol and extensions over a socket's life.
import { cases, scenario, type Scenario } from '../scenario';

/** Payloads for `send`, built in the page from these sources. */
const PAYLOADS: [label: string, source: string][] = [
  ['ASCII text', "'abc'"],
  ['two-byte UTF-8', "'é'"],
  ['four-byte UTF-8', "'😀'"],
  ['a lone surrogate', "'a\\uD800b'"],
  ['an empty string', "''"],
  ['an ArrayBuffer', 'new ArrayBuffer(10)'],
  ['an empty ArrayBuffer', 'new ArrayBuffer(0)'],
  ['a Uint8Array', 'new Uint8Array([1, 2, 3, 4, 5])'],
  ['a subarray view', 'new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7]).subarray(2, 5)'],
  ['an Int16Array', 'new Int16Array([1, -1, 256])'],
  ['a Float64Array', 'new Float64Array([Math.PI])'],
  ['a BigInt64Array', 'new BigInt64Array([1n, -1n])'],
  ['a Uint8ClampedArray', 'new Uint8ClampedArray([300, -5, 7])'],
  ['a DataView', 'new DataView(new ArrayBuffer(12), 4, 6)'],
  ['a Blob', "new Blob(['xyz'])"],
  ['a Blob of parts', "new Blob(['a', new Uint8Array([1, 2]), new Blob(['é'])])"],
  ['an empty Blob', 'new Blob([])'],
  ['a number', '42.5'],
  ['null', 'null'],
  ['undefined', 'undefined'],
  ['an object with toString', "({ toString: () => 'from toString' })"],
  ['an array', "['a', 'b']"],
];

export const stateScenarios: Scenario[] = [
  scenario('readyState and friends through an ordinary life', async (t, env) => {
    const ws = new WebSocket(`${env.ws}/protocol?select=chat`, 'chat');
    t.log('new', t.state(ws));
    t.watch(ws);
    await t.next(ws, 'open');
    t.log('open', t.state(ws));
    ws.close(1000);
    t.log('right after close()', t.state(ws));
    await t.closed(ws);
    t.log('closed', t.state(ws));
  }),

  scenario('close() while connecting: error, then close; CLOSING at once', async (t, env) => {
    const ws = new WebSocket(`${env.ws}/delay?ms=300`);
    t.watch(ws);
    ws.close();
    t.log('right after close()', t.state(ws));
    await t.closed(ws);
    t.log('after', t.state(ws));
  }),

  scenario('close() with a code while connecting', async (t, env) => {
    const ws = new WebSocket(`${env.ws}/delay?ms=300`);
    t.watch(ws);
    t.attempt('close(4000, "early")', () => ws.close(4000, 'early'));
    t.log('right after close()', t.state(ws));
    await t.closed(ws);
  }),

  scenario('a slow handshake stays CONNECTING', async (t, env) => {
    const ws = new WebSocket(`${env.ws}/delay?ms=400`);
    t.watch(ws);
    await t.sleep(150);
    t.log('while the server waits', t.state(ws));
    await t.next(ws, 'open');
    ws.close();
    await t.closed(ws);
  }),

  ...cases(
    ([label]) => `send ${label}: bufferedAmount grows at once by its size`,
    PAYLOADS,
    async (t, env, [, source]: [string, string]) => {
      const ws = new WebSocket(`${env.ws}/echo`);
      ws.binaryType = 'arraybuffer';
      await t.next(ws, 'open');
      const payload = new Function(`return (${source});`)();
      t.log('before', ws.bufferedAmount);
      t.attempt('send', () => ws.send(payload));
      t.log('right after', ws.bufferedAmount);
      t.attempt('send again', () => ws.send(payload));
      t.log('after two', ws.bufferedAmount);
      for (let i = 0; i < 2; i++) {
        const event = (await t.next(ws, 'message')) as MessageEvent | null;
        t.log('echoed', event && (typeof event.data === 'string' ? event.data : await t.bytes(event.data)));
      }
      ws.close();
      await t.closed(ws);
    },
  ),

  scenario('bufferedAmount never falls within a task, and keeps growing after close()', async (t, env) => {
    const ws = new WebSocket(`${env.ws}/echo`);
    await t.next(ws, 'open');
    const seen: number[] = [];
    for (let i = 0; i < 20; i++) {
      ws.send('x'.repeat(1000));
      seen.push(ws.bufferedAmount);
    }
    t.log('monotonic within the task', seen.every((v, i) => i === 0 || v >= seen[i - 1]));
    t.log('at least what was queued', seen[19] <= 20_000 && seen[0] <= 1000);
    ws.close();
    const atClose = ws.bufferedAmount;
    t.attempt('send while closing', () => ws.send('after close'));
    t.log('grew by the message', ws.bufferedAmount - atClose);
    await t.closed(ws);
    const atClosed = ws.bufferedAmount;
    t.attempt('send when closed', () => ws.send('when closed'));
    t.log('grew again', ws.bufferedAmount - atClosed);
    t.attempt('send a Blob when closed', () => ws.send(new Blob(['1234'])));
    t.log('and by a Blob', ws.bufferedAmount - atClosed);
  }),

  scenario('binaryType: default, valid and invalid values', async (t, env) => {
    const ws = new WebSocket(`${env.ws}/echo`);
    t.log('default', ws.binaryType);
    for (const value of ['arraybuffer', 'blob', 'Blob', 'ARRAYBUFFER', '', 'text', null, undefined, 0, { toString: () => 'arraybuffer' }]) {
      t.attempt(`set ${String(value)}`, () => {
        (ws as unknown as { binaryType: unknown }).binaryType = value;
        return ws.binaryType;
      });
    }
    t.attempt('strict set of an invalid value', () => new Function('ws', "'use strict'; ws.binaryType = 'nope'; return ws.binaryType;")(ws));
    ws.close();
    await t.closed(ws);
  }),

  ...cases(
    (binaryType) => `binary messages arrive as binaryType ${binaryType} says`,
    ['blob', 'arraybuffer'],
    async (t, env, binaryType: string) => {
      const ws = new WebSocket(`${env.ws}/greet?binary=AAEC%2F%2F8%3D`);
      ws.binaryType = binaryType as BinaryType;
      t.watch(ws);
      const event = (await t.next(ws, 'message')) as MessageEvent;
      t.log('bytes', await t.bytes(event.data));
      ws.close();
      await t.closed(ws);
    },
  ),

  scenario('binaryType changed between messages applies to the next', async (t, env) => {
    const ws = new WebSocket(`${env.ws}/echo`);
    await t.next(ws, 'open');
    const kinds: string[] = [];
    ws.addEventListener('message', (event) => {
      kinds.push(Object.prototype.toString.call(event.data));
      ws.binaryType = ws.binaryType === 'blob' ? 'arraybuffer' : 'blob';
    });
    for (let i = 0; i < 4; i++) ws.send(new Uint8Array([i]));
    for (let i = 0; i < 4; i++) await t.next(ws, 'message');
    t.log('kinds', kinds);
    ws.close();
    await t.closed(ws);
  }),

  scenario('url, protocol and extensions are fixed strings', async (t, env) => {
    const ws = new WebSocket(`${env.ws}/protocol?select=b`, ['a', 'b']);
    t.log('before open', [ws.url, ws.protocol, ws.extensions]);
    await t.next(ws, 'open');
    t.log('after open', [ws.url, ws.protocol, ws.extensions]);
    ws.close();
    await t.closed(ws);
    t.log('after close', [ws.url, ws.protocol, ws.extensions]);
  }),
];
