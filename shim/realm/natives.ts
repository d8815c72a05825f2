// Built-ins the shim uses, saved when it is evaluated: at document_start,
// before any page script can replace or patch them.

import { uncurry } from './uncurry';

const apply = Reflect.apply;

/** A platform getter as a plain function of its receiver. */
export function getter<T>(proto: object, name: string): (self: unknown) => T {
  const get = Object.getOwnPropertyDescriptor(proto, name)?.get;
  if (!get) throw new TypeError(`no getter ${name}`);
  return uncurry(get as (this: unknown) => T);
}

/** True when `fn(x)` does not throw: the brand checks of platform getters. */
function hasBrand(fn: (x: unknown) => unknown, x: unknown): boolean {
  try {
    fn(x);
    return true;
  } catch {
    return false;
  }
}

const TypedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype) as object;

/** A platform setter as a plain function of its receiver and value. */
export function setter<T>(proto: object, name: string): (self: unknown, value: T) => void {
  const set = Object.getOwnPropertyDescriptor(proto, name)?.set;
  if (!set) throw new TypeError(`no setter ${name}`);
  return uncurry(set as (this: unknown, value: T) => void);
}

export const reflectApply = apply;
export const reflectConstruct = Reflect.construct;
export const reflectGet = Reflect.get;
export const defineProperty = Object.defineProperty;
export const getOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
export const getPrototypeOf = Object.getPrototypeOf;
export const isView = ArrayBuffer.isView;
export const isArray = Array.isArray;
export const objectKeys = Object.keys;
/** JSON text of a string: a primitive, so no `toJSON` hook runs. */
export const jsonQuote = JSON.stringify as (value: string) => string;
export const NativeUint8Array = Uint8Array;
export const NativeDOMException = DOMException;
export const NativeTypeError = TypeError;
export const NativeRangeError = RangeError;
export const NativePromise = Promise;
export const promiseReject = Promise.reject.bind(Promise) as (reason: unknown) => Promise<never>;
const setPrototypeOf = Object.setPrototypeOf;
/**
 * `object` with no prototype: what the platform reads from an object the shim
 * hands it (an underlying source, a queuing strategy) can then never come
 * from a property the page added to Object.prototype.
 */
export const withoutPrototype = <T extends object>(object: T): T => setPrototypeOf(object, null) as T;
/** `items` as an iterable that built-ins read without any iterator the page can patch. */
export function iterable<T>(items: T[]): Iterable<T> {
  let next = 0;
  const iterator = withoutPrototype({
    next: (): IteratorResult<T> =>
      withoutPrototype(next < items.length ? { done: false as const, value: items[next++] } : { done: true as const, value: undefined }),
  });
  return withoutPrototype({ [Symbol.iterator]: () => iterator });
}
export const NativeWeakMap = WeakMap;
export const weakMapGet = uncurry(WeakMap.prototype.get) as (map: WeakMap<object, unknown>, key: unknown) => unknown;
export const weakMapSet = uncurry(WeakMap.prototype.set) as (map: WeakMap<object, unknown>, key: object, value: unknown) => void;
export const isWellFormed = uncurry(String.prototype.isWellFormed);
export const toWellFormed = uncurry(String.prototype.toWellFormed);
export const stringSlice = uncurry(String.prototype.slice) as (text: string, begin: number, end?: number) => string;
export const stringIncludes = uncurry(String.prototype.includes) as (text: string, search: string) => boolean;
export const NativeRegExp = RegExp;
/** The built-in exec, whatever the page later does to RegExp.prototype. */
export const regexExec = uncurry(RegExp.prototype.exec) as (regex: RegExp, text: string) => RegExpExecArray | null;
/**
 * A function of the global (timers, base64), as the realm has it when the
 * shim installs; where the realm gives it later, as it is at first use.
 * (Chromium gives a worker its WindowOrWorkerGlobalScope functions only after
 * the debugger ran the engine there, see extension/background/worker-debugger.ts.)
 * Fixed arity: some run for every message.
 */
function globalFunction<A, B, R>(name: 'setTimeout' | 'clearTimeout' | 'btoa' | 'atob'): (a: A, b?: B) => R {
  const global = globalThis as unknown as Record<string, (a: A, b?: B) => R>;
  let fn: ((a: A, b?: B) => R) | undefined = typeof global[name] === 'function' ? global[name].bind(globalThis) : undefined;
  return (a, b) => (fn ??= global[name].bind(globalThis))(a, b);
}
export const setTimeout = globalFunction<() => void, number, number>('setTimeout');
export const clearTimeout = globalFunction<number, never, void>('clearTimeout');
export const btoa = globalFunction<string, never, string>('btoa');
export const atob = globalFunction<string, never, string>('atob');
export const promiseThen = uncurry(Promise.prototype.then) as <T>(
  p: Promise<T>,
  onFulfilled: (value: T) => void,
  onRejected: (reason: unknown) => void,
) => Promise<void>;

const perf = globalThis.performance;
const perfNow = uncurry(Performance.prototype.now);
const timeOrigin = perf.timeOrigin;
/** Epoch milliseconds with sub-millisecond precision. */
export const now = (): number => timeOrigin + perfNow(perf);

export const dispatchEvent = uncurry(EventTarget.prototype.dispatchEvent) as (target: EventTarget, event: Event) => boolean;
export const NativeCustomEvent = CustomEvent;
export const addEventListener = uncurry(EventTarget.prototype.addEventListener) as (
  target: EventTarget,
  type: string,
  listener: EventListener,
  options?: boolean | AddEventListenerOptions,
) => void;
export const removeEventListener = uncurry(EventTarget.prototype.removeEventListener) as (
  target: EventTarget,
  type: string,
  listener: EventListener,
  options?: boolean | EventListenerOptions,
) => void;
export const stopImmediatePropagation = uncurry(Event.prototype.stopImmediatePropagation);
export const preventDefault = uncurry(Event.prototype.preventDefault);
const sampleEvent = new Event('sockscope');
/** `isTrusted` is unforgeable in browsers: an own accessor of every event, all sharing one getter (Node: on the prototype). */
export const eventIsTrusted = getter<boolean>(
  Object.getOwnPropertyDescriptor(sampleEvent, 'isTrusted') ? sampleEvent : Event.prototype,
  'isTrusted',
);
/** An event's type, read without the page-replaceable `type` getter. */
export const eventType = getter<string>(Event.prototype, 'type');
export const messageEventData = getter<unknown>(MessageEvent.prototype, 'data');
export const messageEventPorts = getter<readonly MessagePort[]>(MessageEvent.prototype, 'ports');
export const portPostMessage = uncurry(MessagePort.prototype.postMessage) as (port: MessagePort, message: unknown, transfer?: Transferable[]) => void;
export const portStart = uncurry(MessagePort.prototype.start);
export const NativeMessageChannel = MessageChannel;
/** Absent where a realm has none (Node, in unit tests). */
export const NativeBroadcastChannel = globalThis.BroadcastChannel as typeof BroadcastChannel | undefined;
export const broadcastPostMessage = NativeBroadcastChannel
  ? (uncurry(NativeBroadcastChannel.prototype.postMessage) as (channel: BroadcastChannel, message: unknown) => void)
  : () => undefined;
/** A channel's port: an accessor in browsers, an own property in Node (unit tests). */
const channelPort = (name: 'port1' | 'port2'): ((channel: MessageChannel) => MessagePort) =>
  Object.getOwnPropertyDescriptor(MessageChannel.prototype, name) ? getter<MessagePort>(MessageChannel.prototype, name) : (channel) => channel[name];
export const channelPort1 = channelPort('port1');
export const channelPort2 = channelPort('port2');

const arrayBufferByteLength = getter<number>(ArrayBuffer.prototype, 'byteLength');
const typedArrayBuffer = getter<ArrayBufferLike>(TypedArrayPrototype, 'buffer');
const typedArrayByteOffset = getter<number>(TypedArrayPrototype, 'byteOffset');
const typedArrayByteLength = getter<number>(TypedArrayPrototype, 'byteLength');
const dataViewBuffer = getter<ArrayBufferLike>(DataView.prototype, 'buffer');
const dataViewByteOffset = getter<number>(DataView.prototype, 'byteOffset');
const dataViewByteLength = getter<number>(DataView.prototype, 'byteLength');
const blobSize = getter<number>(Blob.prototype, 'size');
const blobArrayBuffer = uncurry(Blob.prototype.arrayBuffer);

export const isArrayBuffer = (x: unknown): x is ArrayBuffer => hasBrand(arrayBufferByteLength, x);
const arrayBufferResizable = getter<boolean>(ArrayBuffer.prototype, 'resizable');
/** An ArrayBuffer that can grow (a SharedArrayBuffer is not an ArrayBuffer: false). */
export const isResizable = (buffer: ArrayBufferLike): boolean => isArrayBuffer(buffer) && arrayBufferResizable(buffer);
// SharedArrayBuffer exists only in cross-origin isolated documents; elsewhere none can be made.
const NativeSharedArrayBuffer = (globalThis as { SharedArrayBuffer?: typeof SharedArrayBuffer }).SharedArrayBuffer;
const sharedByteLength = NativeSharedArrayBuffer && getter<number>(NativeSharedArrayBuffer.prototype, 'byteLength');
export const isSharedArrayBuffer = (x: unknown): boolean => sharedByteLength !== undefined && hasBrand(sharedByteLength, x);
export const isBlob = (x: unknown): x is Blob => hasBrand(blobSize, x);
export const sizeOfBlob = (blob: Blob): number => blobSize(blob);
const blobSlice = uncurry(Blob.prototype.slice) as (blob: Blob, start: number, end: number) => Blob;
/** The first `max` bytes of a Blob. */
export const readBlob = (blob: Blob, max: number): Promise<ArrayBuffer> =>
  blobArrayBuffer(blobSize(blob) > max ? blobSlice(blob, 0, max) : blob);

/** The bytes an ArrayBuffer or any view holds, as a Uint8Array over the same memory (no copy). */
export function bytesOf(source: ArrayBuffer | ArrayBufferView): Uint8Array {
  if (!isView(source)) return view(source, 0, arrayBufferByteLength(source));
  const typed = hasBrand(typedArrayBuffer, source);
  const buffer = typed ? typedArrayBuffer(source) : dataViewBuffer(source);
  const offset = typed ? typedArrayByteOffset(source) : dataViewByteOffset(source);
  const length = typed ? typedArrayByteLength(source) : dataViewByteLength(source);
  return view(buffer, offset, length);
}

/** The buffer under a typed array or DataView. */
export const viewBuffer = (source: ArrayBufferView): ArrayBufferLike =>
  hasBrand(typedArrayBuffer, source) ? typedArrayBuffer(source) : dataViewBuffer(source);

/** A view that is empty when there is nothing to see (a view over a detached buffer cannot be made). */
const view = (buffer: ArrayBufferLike, offset: number, length: number): Uint8Array =>
  length === 0 ? new NativeUint8Array(0) : new NativeUint8Array(buffer, offset, length);

/** The length of a Uint8Array, read without the page-replaceable `length` getter. */
export const lengthOf = (bytes: Uint8Array): number => typedArrayByteLength(bytes);

// Views and copies built with the constructor and `set`, not `subarray`/`slice`: those look up
// the page-replaceable `constructor` and `Symbol.species` of the array.
const uint8Set = uncurry(Uint8Array.prototype.set) as (target: Uint8Array, source: Uint8Array) => void;

/** Bytes [start, end) of a Uint8Array, as a view over the same memory. */
export const viewOf = (bytes: Uint8Array, start: number, end: number): Uint8Array =>
  view(typedArrayBuffer(bytes), typedArrayByteOffset(bytes) + start, end - start);

/** What a held send keeps: buffer bytes copied now (the page may reuse its buffer), strings and Blobs as they are. */
export const heldPayload = (data: unknown, size: number): unknown =>
  isArrayBuffer(data) || isView(data) ? copyPrefix(bytesOf(data), size) : data;

/** A copy of the first `count` bytes. */
export function copyPrefix(bytes: Uint8Array, count: number): Uint8Array {
  const copy = new NativeUint8Array(count);
  uint8Set(copy, viewOf(bytes, 0, count));
  return copy;
}

const consoleWarn = console.warn;

/** Says something to the page's developer in the console, as the shim. */
export function warn(message: string, detail?: unknown): void {
  apply(consoleWarn, console, detail === undefined ? [`[sockscope] ${message}`] : [`[sockscope] ${message}`, detail]);
}

/** Does nothing: the default for a callback, and the handler of a rejection the shim expects. */
export const noop = (): void => {};

/**
 * Runs the shim's own bookkeeping so that a bug in it can never surface in the
 * page: an exception thrown from a listener would reach the page's `onerror`.
 */
export function safely<A, B>(fn: (a: A, b: B) => void, a: A, b?: B): void {
  // Fixed arity, no rest arguments: this runs for every message.
  try {
    fn(a, b as B);
  } catch (error) {
    warn('recording failed:', error);
  }
}
