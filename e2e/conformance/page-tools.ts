// What a scenario uses in the page to build its trace. `installTools` is sent
// to the page as source text and run there after load, once per scenario, so
// it must be self-contained (no imports, no outer variables). It saves every
// built-in it uses first: scenarios replace, freeze and patch globals. It
// runs in workers too (see workers.ts): it uses nothing a worker lacks.
import type { WorkerConfig } from './workers';

export type Config = 'native' | 'standalone' | 'extension' | 'delayed' | 'overStream';
export type BrowserName = 'chromium' | 'firefox';

export interface Env {
  /** `ws://127.0.0.1:PORT`: the conformance server, the same in every configuration. */
  ws: string;
  /** `http://HOST:PORT`: this page's origin (one per configuration; a worker's is its page's). */
  http: string;
  config: Config | WorkerConfig;
  browser: BrowserName;
}

export interface Tools {
  /** Appends an entry to the trace; `value` goes through `show`. */
  log(label: string, value?: unknown): void;
  /** Calls `fn` and logs what it returned or threw; returns the value (undefined if it threw). */
  attempt<T>(label: string, fn: () => T): T | undefined;
  /**
   * Like `attempt`, logging only the name of an error: for engine messages
   * that word the instrumented constructor (a Proxy) differently.
   */
  attemptName(label: string, fn: () => unknown): void;
  /** Logs every open/message/error/close of `ws`, with the socket's state at that moment. */
  watch(ws: WebSocket, label?: string): void;
  /** The socket's observable state now. */
  state(ws: WebSocket): Record<string, unknown>;
  /** Resolves at the socket's close event; logs a timeout instead after `timeoutMs`. */
  closed(ws: WebSocket, timeoutMs?: number): Promise<void>;
  /** Resolves with the next event of this type on `target`, or null after `timeoutMs`. */
  next(target: EventTarget, type: string, timeoutMs?: number): Promise<Event | null>;
  sleep(ms: number): Promise<void>;
  /** How a promise settles: `{ value }`, `{ error }` (shown), or 'still pending' after `timeoutMs`. */
  outcome(promise: Promise<unknown>, timeoutMs?: number): Promise<unknown>;
  /** Resolves once `ready()` is true (polled every 10 ms), or after `timeoutMs`, logging a timeout. */
  until(ready: () => boolean, timeoutMs?: number): Promise<void>;
  /** Every own property's descriptor, made comparable (functions by name, length and source text). */
  descriptors(target: object): unknown;
  /** One own property's descriptor, as `descriptors` shows it (undefined if there is none). */
  descriptor(target: object, key: string | symbol): unknown;
  /** A JSON-safe, deterministic picture of any value. */
  show(value: unknown): unknown;
  /** The bytes of a Blob, ArrayBuffer or view, as hex. */
  bytes(data: Blob | ArrayBuffer | ArrayBufferView): Promise<string>;
}

export interface TraceEntry {
  label: string;
  value: unknown;
}

declare global {
  // eslint-disable-next-line no-var
  var __conformance: { tools: Tools; trace: TraceEntry[] } | undefined;
}

/**
 * `messages`: log error messages too, of every error or of errors with these
 * names. Firefox's messages quote the calling expression ("can't convert
 * Object.create(...) to string"), and with any wrapper a native call is made
 * from the wrapper's code: only names compare.
 */
export function installTools(messages: boolean | readonly string[]): void {
  const trace: TraceEntry[] = [];
  const hasOwn = Object.hasOwn;
  const messageNames: Record<string, true> = Object.create(null);
  if (messages !== true && messages !== false) for (const name of messages) messageNames[name] = true;
  const { getPrototypeOf, getOwnPropertyNames, getOwnPropertySymbols, getOwnPropertyDescriptor, is, entries } = Object;
  const ObjectPrototype = Object.prototype;
  const { isArray } = Array;
  const { isFinite } = Number;
  const apply = Reflect.apply;
  const addListener = EventTarget.prototype.addEventListener;
  const removeListener = EventTarget.prototype.removeEventListener;
  const functionToString = Function.prototype.toString;
  const NativeArrayBuffer = ArrayBuffer;
  const NativeBlob = Blob;
  const NativeError = Error;
  const NativeDOMException = DOMException;
  const NativeEvent = Event;
  const isView = ArrayBuffer.isView;
  const NativeUint8Array = Uint8Array;
  const blobArrayBuffer = Blob.prototype.arrayBuffer;
  const nativeSetTimeout = setTimeout;
  const nativeClearTimeout = clearTimeout;
  const NativePromise = Promise;
  const host = location.host;
  const WebSocketProto = WebSocket.prototype;
  const get = (name: string) => getOwnPropertyDescriptor(WebSocketProto, name)?.get as (this: WebSocket) => unknown;
  const getters = {
    url: get('url'),
    readyState: get('readyState'),
    bufferedAmount: get('bufferedAmount'),
    protocol: get('protocol'),
    extensions: get('extensions'),
    binaryType: get('binaryType'),
  };

  /** The page's own origin differs per configuration; the socket server's does not. */
  const text = (s: string): string => (s.length > 300 ? `${s.slice(0, 100)}…(${s.length} chars)…${s.slice(-100)}` : s).split(host).join('<page>');

  const hex = (bytes: Uint8Array, max = 64): string => {
    let out = '';
    for (let i = 0; i < bytes.length && i < max; i++) out += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16);
    return bytes.length > max ? `${out}…(${bytes.length} bytes)` : out;
  };

  const className = (value: object): string => {
    try {
      const proto = getPrototypeOf(value) as { constructor?: { name?: unknown } } | null;
      return proto === null ? 'null-prototype' : String(proto.constructor?.name ?? '?');
    } catch {
      return 'unreadable';
    }
  };

  function show(value: unknown, depth = 0): unknown {
    switch (typeof value) {
      case 'undefined':
        return { $: 'undefined' };
      case 'number':
        return isFinite(value) && !is(value, -0) ? value : { $: 'number', value: is(value, -0) ? '-0' : String(value) };
      case 'string':
        return text(value);
      case 'boolean':
        return value;
      case 'bigint':
        return { $: 'bigint', value: String(value) };
      case 'symbol':
        return { $: 'symbol', description: value.description };
      case 'function':
        return { $: 'function', name: text(String(value.name)), length: value.length };
    }
    if (value === null) return null;
    const object = value as object;
    if (object instanceof NativeDOMException || object instanceof NativeError) {
      // A prototype object passes instanceof but has no error to read: its getters throw.
      try {
        const error = object as Error & { closeCode?: unknown; reason?: unknown };
        return {
          $: 'error',
          class: className(error),
          name: error.name,
          ...(object instanceof NativeDOMException ? { code: (object as DOMException).code } : {}),
          ...('closeCode' in error ? { closeCode: show(error.closeCode), reason: show(error.reason) } : {}),
          ...(messages === true || hasOwn(messageNames, error.name) ? { message: text(String(error.message)) } : {}),
        };
      } catch {
        return { $: 'object', class: className(object) };
      }
    }
    if (object instanceof NativeArrayBuffer) return { $: 'ArrayBuffer', bytes: hex(new NativeUint8Array(object)) };
    if (isView(object)) {
      const view = object as ArrayBufferView;
      return { $: className(view), bytes: hex(new NativeUint8Array(view.buffer, view.byteOffset, view.byteLength)) };
    }
    if (object instanceof NativeBlob) return { $: 'Blob', size: object.size, type: object.type };
    if (object instanceof WebSocket) return { $: 'WebSocket', url: text(String(apply(getters.url, object, []))) };
    if (object instanceof NativeEvent) return { $: className(object), type: (object as Event).type };
    if (isArray(object)) return depth > 2 ? { $: 'array', length: object.length } : object.slice(0, 50).map((v) => show(v, depth + 1));
    const proto = getPrototypeOf(object);
    if ((proto === ObjectPrototype || proto === null) && depth <= 2) {
      const out: Record<string, unknown> = {};
      for (const key of getOwnPropertyNames(object).slice(0, 50)) {
        const d = getOwnPropertyDescriptor(object, key)!;
        out[key] = 'value' in d ? show(d.value, depth + 1) : { $: 'accessor' };
      }
      return out;
    }
    return { $: 'object', class: className(object) };
  }

  const log = (label: string, value?: unknown) => {
    trace.push({ label, value: show(value) });
  };

  const state = (ws: WebSocket): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [name, getter] of entries(getters)) {
      try {
        out[name] = show(apply(getter, ws, []));
      } catch (error) {
        out[name] = show(error);
      }
    }
    return out;
  };

  const describe = (event: Event, ws: WebSocket): Record<string, unknown> => {
    const e = event as Event & Partial<MessageEvent & CloseEvent>;
    const out: Record<string, unknown> = {
      type: e.type,
      class: className(e),
      isTrusted: e.isTrusted,
      phase: e.eventPhase,
      target: e.target === ws,
      currentTarget: e.currentTarget === ws,
      bubbles: e.bubbles,
      cancelable: e.cancelable,
      composed: e.composed,
      defaultPrevented: e.defaultPrevented,
      ...state(ws),
    };
    if (e.type === 'message') {
      out.data = show(e.data);
      out.origin = text(String(e.origin));
      out.lastEventId = e.lastEventId;
      out.source = e.source === null;
      out.ports = e.ports?.length;
    }
    if (e.type === 'close') {
      out.code = e.code;
      out.reason = text(String(e.reason));
      out.wasClean = e.wasClean;
    }
    return out;
  };

  const describeFunction = (f: unknown) =>
    typeof f === 'function' ? { name: f.name, length: f.length, source: text(apply(functionToString, f, [])) } : show(f);

  const describeProperty = (target: object, key: string | symbol): unknown => {
    const d = getOwnPropertyDescriptor(target, key);
    if (!d) return { $: 'undefined' };
    return 'value' in d
      ? {
          value: typeof d.value === 'function' ? describeFunction(d.value) : show(d.value),
          writable: d.writable,
          enumerable: d.enumerable,
          configurable: d.configurable,
        }
      : { get: describeFunction(d.get), set: describeFunction(d.set), enumerable: d.enumerable, configurable: d.configurable };
  };

  const next = (target: EventTarget, type: string, timeoutMs = 5_000): Promise<Event | null> =>
    new NativePromise((resolve) => {
      const done = (event: Event | null) => {
        nativeClearTimeout(timer);
        apply(removeListener, target, [type, done]);
        resolve(event);
      };
      const timer = nativeSetTimeout(() => done(null), timeoutMs);
      apply(addListener, target, [type, done]);
    });

  const tools: Tools = {
    log,
    attempt(label, fn) {
      try {
        const value = fn();
        log(`${label} returned`, value);
        return value;
      } catch (error) {
        log(`${label} threw`, error);
        return undefined;
      }
    },
    attemptName(label, fn) {
      try {
        fn();
        log(`${label} returned`);
      } catch (error) {
        log(`${label} threw`, (error as Error).name);
      }
    },
    watch(ws, label = 'ws') {
      for (const type of ['open', 'message', 'error', 'close']) {
        apply(addListener, ws, [type, (event: Event) => trace.push({ label: `${label} ${type}`, value: describe(event, ws) })]);
      }
    },
    state,
    async closed(ws, timeoutMs = 5_000) {
      if (apply(getters.readyState, ws, []) === 3) return;
      if ((await next(ws, 'close', timeoutMs)) === null) log('timed out waiting for close');
    },
    next,
    sleep: (ms) => new NativePromise((resolve) => nativeSetTimeout(resolve, ms)),
    outcome: (promise, timeoutMs = 2_000) =>
      new NativePromise((resolve) => {
        const timer = nativeSetTimeout(() => resolve('still pending'), timeoutMs);
        promise.then(
          (value) => (nativeClearTimeout(timer), resolve({ value: show(value) })),
          (error) => (nativeClearTimeout(timer), resolve({ error: show(error) })),
        );
      }),
    async until(ready, timeoutMs = 5_000) {
      for (let waited = 0; !ready(); waited += 10) {
        if (waited >= timeoutMs) return log('timed out waiting');
        await new NativePromise((resolve) => nativeSetTimeout(resolve, 10));
      }
    },
    descriptors(target) {
      const out: Record<string, unknown> = {};
      const keys: (string | symbol)[] = [...getOwnPropertyNames(target), ...getOwnPropertySymbols(target)];
      for (const key of keys) out[typeof key === 'symbol' ? `@@${key.description}` : key] = describeProperty(target, key);
      return out;
    },
    descriptor: (target, key) => describeProperty(target, key),
    show: (value) => show(value),
    async bytes(data) {
      if (data instanceof NativeBlob) return hex(new NativeUint8Array(await apply(blobArrayBuffer, data, [])), 1 << 20);
      if (data instanceof NativeArrayBuffer) return hex(new NativeUint8Array(data), 1 << 20);
      return hex(new NativeUint8Array(data.buffer, data.byteOffset, data.byteLength), 1 << 20);
    },
  };
  globalThis.__conformance = { tools, trace };
}
