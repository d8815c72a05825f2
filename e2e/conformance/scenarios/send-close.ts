// send() and close(): argument conversion, validation, and what the peer sees.
import { cases, scenario, type Scenario } from '../scenario';

/** close() arguments as the page writes them. */
const CLOSE_ARGS: [label: string, source: string][] = [
  ['no arguments', '[]'],
  ['1000', '[1000]'],
  ['1000 and a reason', "[1000, 'bye']"],
  ['3000', '[3000]'],
  ['4999 and a reason', "[4999, 'last']"],
  ['999', '[999]'],
  ['1001', '[1001]'],
  ['1005', '[1005]'],
  ['1006', '[1006]'],
  ['2999', '[2999]'],
  ['5000', '[5000]'],
  ['0', '[0]'],
  ['-1 (clamped to 0)', '[-1]'],
  ['65536 + 1000 (clamped to 65535)', '[66536]'],
  ['1000.4 (rounded)', '[1000.4]'],
  ['2999.5 (rounds to even: 3000)', '[2999.5]'],
  ['3000.5 (rounds to even: 3000)', '[3000.5]'],
  ['NaN', '[NaN]'],
  ['Infinity', '[Infinity]'],
  ["'1000' as a string", "['1000']"],
  ['null', '[null]'],
  ['undefined', '[undefined]'],
  ['undefined and a reason', "[undefined, 'why']"],
  ['an object with valueOf', '[{ valueOf: () => 4000 }]'],
  ['a 123-byte reason', "[1000, 'r'.repeat(123)]"],
  ['a 124-byte reason', "[1000, 'r'.repeat(124)]"],
  ['a reason of 61 two-byte characters and one ASCII (123 bytes)', "[1000, 'é'.repeat(61) + 'a']"],
  ['a reason of 62 two-byte characters (124 bytes)', "[1000, 'é'.repeat(62)]"],
  ['a reason with a lone surrogate', "[1000, 'x\\uD800y']"],
  ['a reason that is not a string', '[1000, 12345]'],
  ['a Symbol code', "[Symbol('c')]"],
  ['a bad code and a long reason (which is checked first?)', "[1, 'r'.repeat(200)]"],
];

export const sendCloseScenarios: Scenario[] = [
  scenario('send() with no argument', async (t, env) => {
    const ws = new WebSocket(`${env.ws}/echo`);
    await t.next(ws, 'open');
    t.attempt('send()', () => (ws.send as () => void)());
    t.log('bufferedAmount', ws.bufferedAmount);
    ws.close();
    await t.closed(ws);
  }),

  scenario('send() while connecting', async (t, env) => {
    const ws = new WebSocket(`${env.ws}/echo`);
    t.attempt('send text', () => ws.send('early'));
    t.attempt('send a Blob', () => ws.send(new Blob(['early'])));
    t.attempt('send nothing', () => (ws.send as () => void)());
    t.log('bufferedAmount', ws.bufferedAmount);
    ws.close();
    await t.closed(ws);
  }),

  scenario('send() while connecting converts its argument first', async (t, env) => {
    const ws = new WebSocket(`${env.ws}/echo`);
    const calls: string[] = [];
    t.attempt('send an object', () => ws.send({ toString: () => (calls.push('toString'), 'x') } as unknown as string));
    t.log('converted before the state check', calls);
    ws.close();
    await t.closed(ws);
  }),

  scenario('send() converts an object exactly once, and its errors propagate', async (t, env) => {
    const ws = new WebSocket(`${env.ws}/echo`);
    await t.next(ws, 'open');
    let calls = 0;
    ws.send({ toString: () => `call ${++calls}` } as unknown as string);
    t.log('toString calls', calls);
    const thrown = new Error('from toString');
    t.attempt('toString throws', () => ws.send({ toString: () => { throw thrown; } } as unknown as string));
    try {
      ws.send({ toString: () => { throw thrown; } } as unknown as string);
    } catch (error) {
      t.log('the very error', error === thrown);
    }
    t.attempt('a Symbol', () => ws.send(Symbol('s') as unknown as string));
    t.attempt('a null-prototype object', () => ws.send(Object.create(null)));
    t.log('echo of the first', ((await t.next(ws, 'message')) as MessageEvent).data);
    ws.close();
    await t.closed(ws);
  }),

  scenario('send() of buffers the platform refuses', async (t, env) => {
    const ws = new WebSocket(`${env.ws}/echo`);
    await t.next(ws, 'open');
    t.attempt('a resizable ArrayBuffer', () => ws.send(new ArrayBuffer(8, { maxByteLength: 16 })));
    t.attempt('a view on a resizable ArrayBuffer', () => ws.send(new Uint8Array(new ArrayBuffer(8, { maxByteLength: 16 }))));
    const detached = new ArrayBuffer(8);
    structuredClone(detached, { transfer: [detached] });
    t.attempt('a detached ArrayBuffer', () => ws.send(detached));
    t.attempt('a view on a detached ArrayBuffer', () => ws.send(new Uint8Array(detached)));
    t.log('bufferedAmount', ws.bufferedAmount);
    ws.close();
    await t.closed(ws);
  }),

  scenario(
    'send() of SharedArrayBuffers and views on them, in a cross-origin isolated page',
    async (t, env) => {
      t.log('isolated', [crossOriginIsolated, typeof SharedArrayBuffer]);
      const ws = new WebSocket(`${env.ws}/echo`);
      ws.binaryType = 'arraybuffer';
      await t.next(ws, 'open');
      const shared = new SharedArrayBuffer(4);
      new Uint8Array(shared).set([1, 2, 3, 4]);
      t.attempt('a SharedArrayBuffer', () => ws.send(shared as unknown as ArrayBuffer));
      t.attempt('a view on one', () => ws.send(new Uint8Array(shared, 1, 2)));
      t.attempt('a DataView on one', () => ws.send(new DataView(shared)));
      t.log('bufferedAmount', ws.bufferedAmount);
      ws.send('done');
      for (let event = await t.next(ws, 'message'); event; event = await t.next(ws, 'message', 500)) {
        const data = (event as MessageEvent).data;
        t.log('echo', typeof data === 'string' ? data : await t.bytes(data));
        if (data === 'done') break;
      }
      ws.close();
      await t.closed(ws);
    },
    { isolated: true },
  ),

  scenario('send() after close() does not throw and returns undefined', async (t, env) => {
    const ws = new WebSocket(`${env.ws}/echo`);
    t.watch(ws);
    await t.next(ws, 'open');
    ws.close();
    t.attempt('send while closing', () => ws.send('x'));
    await t.closed(ws);
    t.attempt('send when closed', () => ws.send('y'));
    t.attempt('send nothing when closed', () => (ws.send as () => void)());
  }),

  scenario('text with lone surrogates is sent as U+FFFD', async (t, env) => {
    const ws = new WebSocket(`${env.ws}/echo`);
    await t.next(ws, 'open');
    for (const text of ['\uD800', 'a\uDC00b', '\uDBFF\uDFFF', '\uDFFF\uD800']) {
      ws.send(text);
      const event = (await t.next(ws, 'message')) as MessageEvent;
      t.log('echoed', [...(event.data as string)].map((c) => c.codePointAt(0)!.toString(16)));
    }
    ws.close();
    await t.closed(ws);
  }),

  scenario('send() patched on the prototype by the page still sends', async (t, env) => {
    const ws = new WebSocket(`${env.ws}/echo`);
    await t.next(ws, 'open');
    const original = WebSocket.prototype.send;
    const seen: unknown[] = [];
    WebSocket.prototype.send = function (this: WebSocket, data: string) {
      seen.push(data);
      return original.call(this, `wrapped:${data}`);
    };
    ws.send('x');
    t.log('the page wrapper saw', seen);
    t.log('echo', ((await t.next(ws, 'message')) as MessageEvent).data);
    WebSocket.prototype.send = original;
    ws.close();
    await t.closed(ws);
  }),

  ...cases(
    ([label]) => `close(${label}) while open`,
    CLOSE_ARGS,
    async (t, env, [, source]: [string, string]) => {
      const ws = new WebSocket(`${env.ws}/echo`);
      t.watch(ws);
      await t.next(ws, 'open');
      const args = new Function(`return (${source});`)() as unknown[];
      t.attempt('close', () => (ws.close as (...a: unknown[]) => void)(...args));
      t.log('right after', ws.readyState);
      if (ws.readyState === 1) ws.close();
      await t.closed(ws);
    },
  ),

  scenario('close() twice, and after it closed', async (t, env) => {
    const ws = new WebSocket(`${env.ws}/echo`);
    t.watch(ws);
    await t.next(ws, 'open');
    t.attempt('first close', () => ws.close(4001, 'first'));
    t.attempt('second close', () => ws.close(4002, 'second'));
    t.attempt('a bad code while closing', () => ws.close(1));
    t.attempt('a long reason while closing', () => ws.close(1000, 'r'.repeat(200)));
    await t.closed(ws);
    t.attempt('close when closed', () => ws.close(4003));
    t.attempt('a bad code when closed', () => ws.close(2));
  }),

  scenario('close() while the server delays its reply: CLOSING until it comes', async (t, env) => {
    const ws = new WebSocket(`${env.ws}/slow-close?ms=300`);
    t.watch(ws);
    await t.next(ws, 'open');
    ws.send('before close');
    await t.next(ws, 'message');
    ws.close(4100, 'slow');
    await t.sleep(100);
    t.log('while waiting', t.state(ws));
    await t.closed(ws);
  }),

  scenario('messages sent before close() are echoed before the close event', async (t, env) => {
    const ws = new WebSocket(`${env.ws}/echo`);
    t.watch(ws);
    await t.next(ws, 'open');
    for (let i = 0; i < 5; i++) ws.send(`m${i}`);
    ws.close(1000, 'after five');
    await t.closed(ws);
  }),
];
