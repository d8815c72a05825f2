// The constructor: URL parsing, subprotocols, extra arguments, how it is called.
import { cases, scenario, type Scenario } from '../scenario';

/** URLs as the page writes them; `{ws}` is the socket server's origin, `{port}` its port. */
const URLS = [
  '{ws}/echo',
  '/echo',
  'echo',
  '//127.0.0.1:{port}/echo',
  'http://127.0.0.1:{port}/echo',
  'HTTP://127.0.0.1:{port}/echo',
  'https://127.0.0.1:{port}/echo',
  'wss://127.0.0.1:{port}/echo',
  '{ws}/echo?q=ä ü&x=<y>',
  '{ws}/ech%6F',
  'ws://user:secret@127.0.0.1:{port}/echo',
  '{ws}/echo#',
  '{ws}/echo#fragment',
  'ftp://127.0.0.1:{port}/echo',
  'javascript:void 0',
  'data:text/plain,x',
  'file:///echo',
  'ws://',
  'ws://exa mple.test/',
  'ws://[::1',
  '',
  ' {ws}/echo ',
  'ws://127.0.0.1:25/',
  'ws://127.0.0.1:6000/',
  'ws://127.0.0.1:0/',
  'ws://127.0.0.1:70000/',
];

/** Subprotocol arguments; each is built in the page from this description. */
const PROTOCOLS: [label: string, source: string][] = [
  ['a string', "'chat'"],
  ['an array of two', "['chat', 'superchat']"],
  ['an empty array', '[]'],
  ['an empty string', "''"],
  ['a duplicate', "['chat', 'chat']"],
  ['duplicates differing in case', "['chat', 'CHAT']"],
  ['a space', "'ch at'"],
  ['a comma', "'a,b'"],
  ['separators', "['(x)', 'a/b', 'a:b', 'a\"b', 'a{b']"],
  ['non-ASCII', "'chät'"],
  ['a control character', "'a\\u0001b'"],
  ['an empty string in an array', "['chat', '']"],
  ['a number', '42'],
  ['null', 'null'],
  ['undefined', 'undefined'],
  ['a Set', "new Set(['a', 'b'])"],
  ['a String object', "new String('ab')"],
  ['a plain object', "({ toString: () => 'chat' })"],
  ['an object with protocols (the option bag)', "({ protocols: ['chat'] })"],
  ['a generator', "(function* () { yield 'a'; yield 'b'; })()"],
  ['an array holding a number', '[1, 2]'],
  ['every token character', "\"!#$%&'*+-.^_`|~09AZaz\""],
];

export const constructorScenarios: Scenario[] = [
  scenario('echo: open, a text round trip, a clean close', async (t, env) => {
    const ws = new WebSocket(`${env.ws}/echo`);
    t.watch(ws);
    t.log('state after new', t.state(ws));
    await t.next(ws, 'open');
    ws.send('hello');
    await t.next(ws, 'message');
    ws.close(1000, 'done');
    t.log('state after close()', t.state(ws));
    await t.closed(ws);
  }),

  ...cases(
    (url) => `URL ${JSON.stringify(url)}`,
    URLS,
    async (t, env, url: string) => {
      const port = new URL(env.ws).port;
      const ws = t.attempt('new WebSocket', () => new WebSocket(url.replace('{ws}', env.ws).replace('{port}', port)));
      if (!ws) return;
      t.log('state', t.state(ws));
      t.watch(ws);
      // Let it connect or fail, then end it either way.
      await Promise.race([t.next(ws, 'open', 3_000), t.next(ws, 'close', 3_000)]);
      ws.close();
      await t.closed(ws);
    },
  ),

  ...cases(
    ([label]) => `subprotocols: ${label}`,
    PROTOCOLS,
    async (t, env, [, source]: [string, string]) => {
      const protocols: unknown = new Function(`return (${source});`)();
      const ws = t.attempt('new WebSocket', () => new WebSocket(`${env.ws}/protocol?select=chat`, protocols as string[]));
      if (!ws) return;
      t.log('protocol before open', ws.protocol);
      t.watch(ws);
      await Promise.race([t.next(ws, 'open', 3_000), t.next(ws, 'close', 3_000)]);
      ws.close();
      await t.closed(ws);
    },
  ),

  scenario('the server selects the second of two subprotocols', async (t, env) => {
    const ws = new WebSocket(`${env.ws}/protocol?select=b`, ['a', 'b']);
    t.watch(ws);
    await t.next(ws, 'open');
    ws.close();
    await t.closed(ws);
  }),

  scenario('the server selects none of the requested subprotocols', async (t, env) => {
    const ws = new WebSocket(`${env.ws}/protocol?select=zz`, ['a', 'b']);
    t.watch(ws);
    await Promise.race([t.next(ws, 'open'), t.next(ws, 'close')]);
    ws.close();
    await t.closed(ws);
  }),

  scenario('the server forces a subprotocol that was not requested', async (t, env) => {
    const ws = new WebSocket(`${env.ws}/force-protocol?p=zz`, ['a']);
    t.watch(ws);
    await t.closed(ws);
  }),

  scenario('the server forces a subprotocol when none was requested', async (t, env) => {
    const ws = new WebSocket(`${env.ws}/force-protocol?p=a`);
    t.watch(ws);
    // Chromium fails the connection; Firefox opens it.
    await Promise.race([t.next(ws, 'open', 2_000), t.next(ws, 'close', 2_000)]);
    ws.close();
    await t.closed(ws);
  }),

  scenario('extra arguments are ignored', async (t, env) => {
    const ws = new (WebSocket as unknown as new (...args: unknown[]) => WebSocket)(`${env.ws}/protocol?select=chat`, 'chat', 'extra', { protocols: ['x'] }, 7);
    t.watch(ws);
    await t.next(ws, 'open');
    ws.close();
    await t.closed(ws);
  }),

  scenario('no arguments', (t) => {
    t.attempt('new WebSocket()', () => new (WebSocket as unknown as new () => WebSocket)());
  }),

  scenario('called without new', (t, env) => {
    t.attempt('WebSocket(url)', () => (WebSocket as unknown as (url: string) => unknown)(`${env.ws}/echo`));
    t.attempt('WebSocket.call({}, url)', () => (WebSocket as unknown as { call: (...a: unknown[]) => unknown }).call({}, `${env.ws}/echo`));
    t.attempt('WebSocket.apply(null, [url])', () => (WebSocket as unknown as { apply: (...a: unknown[]) => unknown }).apply(null, [`${env.ws}/echo`]));
  }),

  scenario('Reflect.construct with another new.target', async (t, env) => {
    function Target() {}
    const ws = t.attempt('construct', () => Reflect.construct(WebSocket, [`${env.ws}/echo`], Target) as WebSocket);
    if (!ws) return;
    t.log('prototype is Target.prototype', Object.getPrototypeOf(ws) === Target.prototype);
    t.log('instanceof WebSocket', ws instanceof WebSocket);
    t.attempt('readyState through the prototype getter', () => Object.getOwnPropertyDescriptor(WebSocket.prototype, 'readyState')!.get!.call(ws));
    t.attempt('send through the prototype', () => WebSocket.prototype.close.call(ws));
    await t.sleep(50);
  }),

  scenario('a bound constructor', async (t, env) => {
    const Bound = WebSocket.bind(null, `${env.ws}/echo`) as unknown as new () => WebSocket;
    const ws = t.attempt('new Bound()', () => new Bound());
    if (!ws) return;
    t.log('instanceof', ws instanceof WebSocket);
    t.log('Bound name and length', [Bound.name, Bound.length]);
    t.watch(ws);
    await t.next(ws, 'open');
    ws.close();
    await t.closed(ws);
  }),

  scenario('a URL object and objects with toString as the URL', async (t, env) => {
    const a = t.attempt('URL object', () => new WebSocket(new URL(`${env.ws}/echo`)));
    const b = t.attempt('toString object', () => new WebSocket({ toString: () => `${env.ws}/echo` } as unknown as string));
    t.log('urls', [a?.url, b?.url]);
    a?.close();
    b?.close();
    await t.sleep(20);
  }),

  scenario('URL conversion errors propagate unchanged', (t) => {
    const thrown = new RangeError('from toString');
    t.attempt('toString throws', () => new WebSocket({ toString: () => { throw thrown; } } as unknown as string));
    t.attempt('a Symbol', () => new WebSocket(Symbol('x') as unknown as string));
    t.attempt('an object without toString', () => new WebSocket(Object.create(null) as string));
    try {
      new WebSocket({ toString: () => { throw thrown; } } as unknown as string);
    } catch (error) {
      t.log('the very error object', error === thrown);
    }
  }),

  scenario('conversion order: URL before protocols, each once', (t, env) => {
    const calls: string[] = [];
    const url = { toString: () => (calls.push('url'), `${env.ws}/echo`) };
    const protocol = { toString: () => (calls.push('protocol'), 'chat') };
    const ws = t.attempt('new', () => new WebSocket(url as unknown as string, [protocol as unknown as string]));
    t.log('calls', calls);
    ws?.close();
  }),

  scenario('protocol conversion errors propagate unchanged', (t, env) => {
    const thrown = new TypeError('from the iterator');
    t.attempt('iterator throws', () =>
      new WebSocket(`${env.ws}/echo`, { [Symbol.iterator]() { throw thrown; } } as unknown as string[]),
    );
    t.attempt('element toString throws', () =>
      new WebSocket(`${env.ws}/echo`, [{ toString() { throw thrown; } }] as unknown as string[]),
    );
    t.attempt('a Symbol element', () => new WebSocket(`${env.ws}/echo`, [Symbol('s')] as unknown as string[]));
    t.attempt('a getter element that throws', () => {
      const list: string[] = [];
      Object.defineProperty(list, 0, { get() { throw thrown; }, enumerable: true });
      return new WebSocket(`${env.ws}/echo`, list);
    });
  }),

  scenario('a relative URL resolves against the document base', async (t, env) => {
    const base = document.createElement('base');
    base.href = `${env.ws.replace('ws:', 'http:')}/nested/dir/`;
    document.head.append(base);
    const ws = t.attempt('relative with a <base>', () => new WebSocket('../echo'));
    t.log('url', ws?.url);
    ws?.close();
    base.remove();
    await t.sleep(20);
  }),
];
