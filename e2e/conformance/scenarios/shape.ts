// The interface's shape: identity, prototype chain, descriptors, constants,
// source text, keys. Nothing here opens a connection that matters.
import { cases, scenario, type Scenario } from '../scenario';

const CONSTANTS = ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED'];
const ACCESSORS = ['url', 'readyState', 'bufferedAmount', 'onopen', 'onerror', 'onclose', 'extensions', 'protocol', 'onmessage', 'binaryType'];

export const shapeScenarios: Scenario[] = [
  scenario('the global binding', (t) => {
    t.log('WebSocket === window.WebSocket', WebSocket === window.WebSocket);
    t.log('WebSocket === globalThis.WebSocket', WebSocket === globalThis.WebSocket);
    t.log('typeof', typeof WebSocket);
    t.log('global descriptor', t.descriptor(window, 'WebSocket'));
    t.log('in window', 'WebSocket' in window);
    t.log('window keys around it', Object.keys(window).includes('WebSocket'));
  }),

  scenario('the constructor: name, length, source text', (t) => {
    t.log('name', WebSocket.name);
    t.log('length', WebSocket.length);
    t.log('String()', String(WebSocket));
    t.log('template', `${WebSocket}`);
    t.log('Function.prototype.toString.call', Function.prototype.toString.call(WebSocket));
    t.log('toString is inherited', WebSocket.toString === Function.prototype.toString);
    t.log('prototype of the constructor is EventTarget', Object.getPrototypeOf(WebSocket) === EventTarget);
    t.log('own keys', Reflect.ownKeys(WebSocket).map(String));
  }),

  scenario('the constructor: every own descriptor', (t) => {
    t.log('descriptors', t.descriptors(WebSocket));
  }),

  scenario('the prototype: every own descriptor', (t) => {
    t.log('descriptors', t.descriptors(WebSocket.prototype));
  }),

  scenario('the prototype: keys in order', (t) => {
    t.log('ownKeys', Reflect.ownKeys(WebSocket.prototype).map(String));
    const inherited: string[] = [];
    for (const key in WebSocket.prototype) inherited.push(key);
    t.log('for-in', inherited);
    t.log('Object.keys', Object.keys(WebSocket.prototype));
  }),

  scenario('the prototype chain', (t) => {
    const chain: string[] = [];
    for (let p: object | null = WebSocket.prototype; p; p = Object.getPrototypeOf(p)) chain.push(Object.prototype.toString.call(p));
    t.log('chain', chain);
    t.log('constructor', WebSocket.prototype.constructor === WebSocket);
    t.log('EventTarget.prototype', Object.getPrototypeOf(WebSocket.prototype) === EventTarget.prototype);
    t.log('toStringTag', (WebSocket.prototype as unknown as Record<symbol, unknown>)[Symbol.toStringTag]);
  }),

  ...cases(
    (name) => `constant ${name}: value, attributes, on the constructor and the prototype`,
    CONSTANTS,
    (t, _env, name: string) => {
      t.log('constructor value', (WebSocket as unknown as Record<string, number>)[name]);
      t.log('prototype value', (WebSocket.prototype as unknown as Record<string, number>)[name]);
      t.log('constructor descriptor', t.descriptor(WebSocket, name));
      t.log('prototype descriptor', t.descriptor(WebSocket.prototype, name));
      t.attempt('assign (sloppy)', () => {
        (WebSocket as unknown as Record<string, number>)[name] = 99;
        return (WebSocket as unknown as Record<string, number>)[name];
      });
      t.attempt('assign (strict)', () =>
        new Function('W', `'use strict'; W.${name} = 99; return W.${name};`)(WebSocket),
      );
      t.attempt('delete', () => delete (WebSocket as unknown as Record<string, number>)[name]);
      t.attempt('redefine', () => Object.defineProperty(WebSocket, name, { value: 5 }));
    },
  ),

  ...cases(
    (name) => `accessor ${name}: descriptor and getter/setter text`,
    ACCESSORS,
    (t, _env, name: string) => {
      const d = Object.getOwnPropertyDescriptor(WebSocket.prototype, name)!;
      t.log('descriptor', t.descriptor(WebSocket.prototype, name));
      t.log('getter name and length', [d.get?.name, d.get?.length]);
      t.log('setter name and length', [d.set?.name, d.set?.length]);
      t.log('getter text', d.get && Function.prototype.toString.call(d.get));
      t.attempt('getter on the prototype itself', () => d.get!.call(WebSocket.prototype));
      t.attempt('getter on a plain object', () => d.get!.call({}));
      t.attempt('getter on null', () => d.get!.call(null));
    },
  ),

  ...cases(
    (name) => `method ${name}: name, length, text, brand checks`,
    ['send', 'close'],
    (t, _env, name: string) => {
      const method = (WebSocket.prototype as unknown as Record<string, (...args: unknown[]) => unknown>)[name];
      t.log('name and length', [method.name, method.length]);
      t.log('String()', String(method));
      t.log('toString.call', Function.prototype.toString.call(method));
      t.log('own keys', Reflect.ownKeys(method).map(String));
      t.log('has no prototype', !('prototype' in method));
      t.attempt('called on the prototype', () => method.call(WebSocket.prototype, 'x'));
      t.attempt('called on a plain object', () => method.call({}, 'x'));
      t.attempt('called on undefined', () => method.call(undefined, 'x'));
      t.attempt('called with new', () => new (method as unknown as new () => unknown)());
      t.attempt('bound, then called on nothing', () => method.bind(undefined)());
    },
  ),

  scenario('an instance has no own properties and reads as a WebSocket', async (t, env) => {
    const ws = new WebSocket(`${env.ws}/echo`);
    t.log('own keys', Reflect.ownKeys(ws).map(String));
    t.log('Object.keys', Object.keys(ws));
    const keys: string[] = [];
    for (const key in ws) keys.push(key);
    t.log('for-in', keys);
    t.log('JSON', JSON.stringify(ws));
    t.log('String', String(ws));
    t.log('toString.call', Object.prototype.toString.call(ws));
    t.log('instanceof WebSocket', ws instanceof WebSocket);
    t.log('instanceof EventTarget', ws instanceof EventTarget);
    t.log('isPrototypeOf', WebSocket.prototype.isPrototypeOf(ws));
    t.log('constructor', ws.constructor === WebSocket);
    t.log('extensible', Object.isExtensible(ws));
    t.log('spread', Object.keys({ ...ws }));
    ws.close();
    await t.sleep(10);
  }),

  scenario('attributes cannot be deleted or overwritten on an instance', async (t, env) => {
    const ws = new WebSocket(`${env.ws}/echo`);
    t.attempt('delete readyState', () => delete (ws as unknown as Record<string, unknown>).readyState);
    t.log('readyState after delete', ws.readyState);
    t.attempt('assign readyState (sloppy)', () => {
      (ws as unknown as Record<string, unknown>).readyState = 3;
      return ws.readyState;
    });
    // Names only: V8 words these messages from WebSocket.prototype.constructor, which is the
    // instrumented constructor (a Proxy), so the shim's read "[object WebSocket]" for "#<WebSocket>".
    for (const name of ['readyState', 'url', 'bufferedAmount']) {
      t.attemptName(`assign ${name} (strict)`, () => new Function('ws', `'use strict'; ws.${name} = 3;`)(ws));
    }
    t.attempt('define an own readyState', () => Object.defineProperty(ws, 'readyState', { value: 9 }));
    t.log('readyState now', ws.readyState);
    t.log('own keys now', Reflect.ownKeys(ws).map(String));
    ws.close();
    await t.sleep(10);
  }),

  scenario('an instance can be given expandos and frozen', async (t, env) => {
    const ws = new WebSocket(`${env.ws}/echo`) as WebSocket & { extra?: number };
    ws.extra = 1;
    t.log('expando', ws.extra);
    t.attempt('freeze', () => Object.isFrozen(Object.freeze(ws)));
    t.attempt('close a frozen socket', () => ws.close());
    t.log('readyState', ws.readyState);
    await t.sleep(10);
  }),

  scenario('Function.prototype.toString itself looks native', (t) => {
    const toString = Function.prototype.toString;
    t.log('name and length', [toString.name, toString.length]);
    t.log('text of itself', toString.call(toString));
    t.log('String()', String(toString));
    t.log('descriptor', t.descriptor(Function.prototype, 'toString'));
    t.attempt('called on a non-function', () => toString.call({}));
    t.attempt('called on a Proxy of a function', () => toString.call(new Proxy(() => 1, {})));
    t.attempt('called on a bound function', () => toString.call(toString.bind(null)));
    t.log('text of a class', toString.call(class A {}));
    t.log('text of an arrow', toString.call((a: number) => a + 1));
  }),

  scenario('the page sees no new globals', (t, env) => {
    // dist/shim.js's documented global is the one expected difference; the tools' is everywhere.
    const skip = new Set(['sockscope', '__conformance']);
    // Sorted: the engines materialize some globals lazily, so their order depends on what was read first.
    const names = Object.getOwnPropertyNames(window).filter((n) => !skip.has(n));
    t.log('own names', names.sort());
    t.log('own symbols', Object.getOwnPropertySymbols(window).map(String).sort());
    t.log('enumerable keys', Object.keys(window).filter((n) => !skip.has(n)).sort());
    t.log('sockscope only where documented', (env.config !== 'native' && env.config !== 'extension') === 'sockscope' in window);
  }),

  scenario('WebSocket subclasses', async (t, env) => {
    class Chat extends WebSocket {
      greet(): string {
        return `${this.readyState}`;
      }
    }
    const ws = new Chat(`${env.ws}/echo`);
    t.log('instanceof Chat / WebSocket / EventTarget', [ws instanceof Chat, ws instanceof WebSocket, ws instanceof EventTarget]);
    t.log('own method', ws.greet());
    t.log('Chat.name, length', [Chat.name, Chat.length]);
    t.log('prototype chain', Object.getPrototypeOf(Chat) === WebSocket);
    t.watch(ws, 'chat');
    await t.next(ws, 'open');
    ws.send('sub');
    await t.next(ws, 'message');
    ws.close();
    await t.closed(ws);
  }),

  scenario('a subclass that changes the URL and protocols before super', async (t, env) => {
    class Prefixed extends WebSocket {
      constructor(path: string) {
        super(`${env.ws}${path}`, ['chat']);
      }
    }
    const ws = new Prefixed('/protocol?select=chat');
    t.log('url', ws.url);
    t.watch(ws);
    await t.next(ws, 'open');
    ws.close();
    await t.closed(ws);
  }),
];
