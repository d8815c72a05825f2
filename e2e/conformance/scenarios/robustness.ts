// Pages that change the platform under the shim: replaced, frozen or wrapped
// WebSocket, polyfilled EventTarget, and patched built-ins. The patched
// built-ins count their calls: the shim must never call page-replaceable code,
// so the counts must equal native's.
import { cases, scenario, type Scenario } from '../scenario';

/** Built-ins a page might patch: [owner expression, property]. */
const PATCHED: [owner: string, key: string][] = [
  ['Array.prototype', 'push'],
  ['Array.prototype', 'pop'],
  ['Array.prototype', 'shift'],
  ['Array.prototype', 'slice'],
  ['Array.prototype', 'splice'],
  ['Array.prototype', 'map'],
  ['Array.prototype', 'filter'],
  ['Array.prototype', 'includes'],
  ['Array.prototype', 'join'],
  ['Object.getPrototypeOf([][Symbol.iterator]())', 'next'],
  ['Map.prototype', 'get'],
  ['Map.prototype', 'set'],
  ['Map.prototype', 'has'],
  ['Map.prototype', 'delete'],
  ['Object.getPrototypeOf(new Map()[Symbol.iterator]())', 'next'],
  ['Set.prototype', 'add'],
  ['Set.prototype', 'delete'],
  ['Set.prototype', 'has'],
  ['Object.getPrototypeOf(new Set()[Symbol.iterator]())', 'next'],
  ['WeakMap.prototype', 'get'],
  ['WeakMap.prototype', 'set'],
  ['Function.prototype', 'call'],
  ['Function.prototype', 'apply'],
  ['Function.prototype', 'bind'],
  ['Reflect', 'apply'],
  ['Reflect', 'construct'],
  ['Object', 'keys'],
  ['Object', 'defineProperty'],
  ['Object', 'getOwnPropertyDescriptor'],
  ['Object', 'getPrototypeOf'],
  ['JSON', 'stringify'],
  ['Promise.prototype', 'then'],
  ['String.prototype', 'slice'],
  ['String.prototype', 'charCodeAt'],
  ['String', 'fromCharCode'],
  ['TextEncoder.prototype', 'encodeInto'],
  ['Math', 'floor'],
  ['Math', 'min'],
  ['Performance.prototype', 'now'],
  ['Date', 'now'],
  ['window', 'setTimeout'],
  ['window', 'queueMicrotask'],
  ['EventTarget.prototype', 'addEventListener'],
  ['Event.prototype', 'stopImmediatePropagation'],
  ['Uint8Array.prototype', 'slice'],
  ['Object.getPrototypeOf(Uint8Array.prototype)', 'subarray'],
  ['Blob.prototype', 'arrayBuffer'],
  ['console', 'warn'],
  ['MessagePort.prototype', 'postMessage'],
];

/** Getters a page might patch: [owner expression, property]. */
const PATCHED_GETTERS: [owner: string, key: string][] = [
  ['MessageEvent.prototype', 'data'],
  ['WebSocket.prototype', 'readyState'],
  ['WebSocket.prototype', 'url'],
  ['CloseEvent.prototype', 'code'],
  ['Blob.prototype', 'size'],
  ['ArrayBuffer.prototype', 'byteLength'],
  ['Object.getPrototypeOf(Uint8Array.prototype)', 'buffer'],
  ['Object.getPrototypeOf(Uint8Array.prototype)', 'byteLength'],
];

export const robustnessScenarios: Scenario[] = [
  ...cases(
    ([owner, key, getter]) => `a page that patched ${owner}.${key}${getter ? ' (getter)' : ''} sees only its own calls`,
    [...PATCHED.map(([o, k]) => [o, k, false] as const), ...PATCHED_GETTERS.map(([o, k]) => [o, k, true] as const)],
    async (t, env, [ownerSource, key, getter]: readonly [string, string, boolean]) => {
      const owner = new Function(`return (${ownerSource});`)() as Record<string, unknown>;
      const descriptor = Object.getOwnPropertyDescriptor(owner, key)!;
      const apply = Reflect.apply;
      let calls = 0;
      const original = (getter ? descriptor.get : descriptor.value) as (...args: unknown[]) => unknown;
      // A wrapper that counts and forwards; `new` passes through for constructors.
      const wrapper = function (this: unknown, ...args: unknown[]) {
        calls++;
        return apply(original, this, args);
      };
      Object.defineProperty(owner, key, getter ? { ...descriptor, get: wrapper } : { ...descriptor, value: wrapper });
      try {
        const ws = new WebSocket(`${env.ws}/echo`);
        ws.binaryType = 'arraybuffer';
        const echoes = new Promise<void>((resolve) => {
          let n = 0;
          ws.onmessage = () => {
            if (++n === 3) resolve();
          };
        });
        await new Promise((resolve) => (ws.onopen = resolve));
        const start = calls;
        ws.send('text');
        ws.send(new Uint8Array([1, 2, 3]));
        ws.send(new Blob(['blob']));
        await echoes;
        ws.close(1000);
        await new Promise((resolve) => (ws.onclose = resolve));
        await new Promise((resolve) => setTimeout(resolve, 30));
        t.log('calls during the exchange', calls - start);
      } finally {
        Object.defineProperty(owner, key, descriptor);
      }
    },
  ),

  scenario('a frozen WebSocket and prototype still work', async (t, env) => {
    t.attempt('freeze the constructor', () => Object.isFrozen(Object.freeze(WebSocket)));
    t.attempt('freeze the prototype', () => Object.isFrozen(Object.freeze(WebSocket.prototype)));
    const ws = new WebSocket(`${env.ws}/echo`);
    t.watch(ws);
    await t.next(ws, 'open');
    ws.send('frozen');
    await t.next(ws, 'message');
    ws.close();
    await t.closed(ws);
    // Name only: V8 says "define" for a Proxy where it says "add" for the native function.
    t.attemptName('assign to the frozen constructor', () => new Function('W', "'use strict'; W.extra = 1;")(WebSocket));
  }),

  scenario('a page that wraps window.WebSocket with its own function', async (t, env) => {
    const Original = WebSocket;
    const opened: string[] = [];
    function Wrapped(this: unknown, url: string, protocols?: string | string[]) {
      opened.push(url);
      return protocols === undefined ? new Original(url) : new Original(url, protocols);
    }
    Wrapped.prototype = Original.prototype;
    Object.assign(Wrapped, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
    (window as unknown as { WebSocket: unknown }).WebSocket = Wrapped;
    const ws = new (window.WebSocket as unknown as new (url: string) => WebSocket)(`${env.ws}/echo`);
    t.log('instanceof the original', ws instanceof Original);
    t.log('constructor', ws.constructor === Original);
    t.watch(ws);
    await t.next(ws, 'open');
    ws.send('wrapped');
    await t.next(ws, 'message');
    ws.close();
    await t.closed(ws);
    t.log('the wrapper saw', opened.length);
    (window as unknown as { WebSocket: unknown }).WebSocket = Original;
  }),

  scenario('a page that replaces WebSocket with a Proxy of its own', async (t, env) => {
    const Original = WebSocket;
    const traps: string[] = [];
    (window as unknown as { WebSocket: unknown }).WebSocket = new Proxy(Original, {
      construct(target, args, newTarget) {
        traps.push('construct');
        return Reflect.construct(target, args, newTarget);
      },
    });
    const ws = new WebSocket(`${env.ws}/echo`);
    t.log('traps', traps);
    t.log('instanceof', [ws instanceof WebSocket, ws instanceof Original]);
    t.watch(ws);
    await t.next(ws, 'open');
    ws.close();
    await t.closed(ws);
    (window as unknown as { WebSocket: unknown }).WebSocket = Original;
  }),

  scenario('a page that deletes WebSocket', (t) => {
    const Original = WebSocket;
    t.attempt('delete', () => delete (window as unknown as { WebSocket?: unknown }).WebSocket);
    t.log('in window', 'WebSocket' in window);
    t.log('typeof', typeof (window as unknown as { WebSocket?: unknown }).WebSocket);
    Object.defineProperty(window, 'WebSocket', { value: Original, writable: true, configurable: true, enumerable: false });
  }),

  scenario('a page that captured send and close before using them', async (t, env) => {
    const { send, close } = WebSocket.prototype;
    const ws = new WebSocket(`${env.ws}/echo`);
    t.watch(ws);
    await t.next(ws, 'open');
    t.attempt('captured send', () => send.call(ws, 'captured'));
    await t.next(ws, 'message');
    t.attempt('captured send, bound', () => send.bind(ws)('bound'));
    await t.next(ws, 'message');
    t.attempt('captured close via Reflect.apply', () => Reflect.apply(close, ws, [4321, 'captured']));
    await t.closed(ws);
  }),

  scenario('a subclass that overrides send and close', async (t, env) => {
    class Logged extends WebSocket {
      log: string[] = [];
      override send(data: string) {
        this.log.push(`send ${data}`);
        super.send(`[${data}]`);
      }
      override close(code?: number, reason?: string) {
        this.log.push(`close ${code}`);
        super.close(code, reason);
      }
    }
    const ws = new Logged(`${env.ws}/echo`);
    t.watch(ws);
    await t.next(ws, 'open');
    ws.send('a');
    await t.next(ws, 'message');
    ws.close(4000, 'sub');
    await t.closed(ws);
    t.log('log', ws.log);
  }),

  scenario('a page that polyfills EventTarget keeps working sockets', async (t, env) => {
    const Original = EventTarget;
    (window as unknown as { EventTarget: unknown }).EventTarget = class FakeEventTarget {};
    const ws = new WebSocket(`${env.ws}/echo`);
    t.log('instanceof the original EventTarget', ws instanceof Original);
    t.watch(ws);
    await t.next(ws, 'open');
    ws.send('polyfilled');
    await t.next(ws, 'message');
    ws.close();
    await t.closed(ws);
    (window as unknown as { EventTarget: unknown }).EventTarget = Original;
  }),

  scenario('a page that patched addEventListener sees only its own registrations', async (t, env) => {
    const original = EventTarget.prototype.addEventListener;
    const seen: string[] = [];
    EventTarget.prototype.addEventListener = function (this: EventTarget, type: string, ...rest: unknown[]) {
      seen.push(`${Object.prototype.toString.call(this)} ${type}`);
      return Reflect.apply(original, this, [type, ...rest]);
    };
    const ws = new WebSocket(`${env.ws}/echo`);
    ws.addEventListener('message', () => {});
    const opened = new Promise((resolve) => (ws.onopen = resolve));
    await opened;
    ws.close();
    await new Promise((resolve) => (ws.onclose = resolve));
    EventTarget.prototype.addEventListener = original;
    t.log('registrations the page saw', seen);
  }),

  scenario('a page that replaced Function.prototype.toString keeps its own', (t) => {
    const original = Function.prototype.toString;
    const seen: string[] = [];
    Function.prototype.toString = function (this: Function) {
      seen.push(this.name);
      return Reflect.apply(original, this, []);
    };
    t.log('WebSocket', String(WebSocket));
    t.log('send', String(WebSocket.prototype.send));
    Function.prototype.toString = original;
    t.log('seen', seen);
    t.log('restored text of toString', original.call(original));
  }),
];
