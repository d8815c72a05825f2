// The classic-over-stream mode (Chromium): the page's WebSocket carried by a
// native WebSocketStream, so that a slow consumer holds the server back over
// TCP as it would with a slow page, instead of messages waiting in the shim.
//
// The page's socket cannot be a native WebSocket (that would open a
// connection of its own): it is a native EventTarget whose prototype is the
// page's WebSocket.prototype, so `instanceof`, subclassing and listeners work
// as natively, and every WebSocket accessor and method on the prototype
// answers for it from the state kept here (for any other receiver they do
// what they did). Its events are dispatched by the shim, so their `isTrusted`
// is false: no script can make a trusted event.
//
// Reading: one native read at a time, the next only once the simulated
// consumer holds nothing, so a paused or slow consumer leaves what the server
// sends in the native stream and in TCP (at most one message read ahead).
// Writing: a send's bytes count in `bufferedAmount` until its native write
// settles; a Blob waits for its bytes, and later sends wait behind it.
//
// Chromium 156's WebSocketStream loses what was not yet read from it when the
// server's Close frame arrives: messages a held consumer has not taken by
// then are lost (docs/limits.md says so).
import { readCloseArguments } from '../close-info';
import { Deque } from '../../realm/deque';
import { payloadSize } from '../../realm/encoding';
import type { Mask } from '../../realm/mask';
import {
  addEventListener,
  getOwnPropertyDescriptor,
  getter,
  heldPayload,
  isBlob,
  iterable,
  NativeDOMException,
  NativeTypeError,
  NativeWeakMap,
  preventDefault,
  promiseThen,
  readBlob,
  reflectApply,
  reflectConstruct,
  safely,
  setTimeout,
  stringSlice,
  weakMapGet,
  weakMapSet,
  withoutPrototype,
} from '../../realm/natives';
import type { SocketInfo } from '../../wire/records';
import { CONNECTING, OPEN, CLOSING, CLOSED } from '../ready-state';
import type { Recorder } from '../../capture/recorder';
import { deriveAccessor, replace } from '../../realm/replace';
import { SafeMap } from '../../realm/safe-collections';
import type { Pipeline, Shaping } from '../../shaping/shaping';
import { getReader, getWriter, read, write } from '../../realm/stream-natives';
import { uncurry } from '../../realm/uncurry';
import { convertSendData } from '../websocket/send-data';
import { idlString } from '../../realm/webidl';

const ABNORMAL_CLOSURE = 1006;
const HANDLER_TYPES = ['open', 'message', 'error', 'close'] as const;

type Outcome = { clean: true; code: number; reason: string } | { clean: false };

interface Opened {
  extensions: string;
  protocol: string;
  readable: ReadableStream;
  writable: WritableStream;
}

interface Outgoing {
  /** null while a Blob's bytes are read. */
  data: unknown;
  size: number;
}

export interface StreamCarrier {
  /** Whether the WebSockets the page constructs from now on are carried. */
  readonly enabled: boolean;
  /** Carries every WebSocket constructed from now on. */
  enable(): void;
  /** Constructs a carried socket (`args` has at least the URL), or throws as the native constructor would. */
  construct(args: unknown[], newTarget: Function): WebSocket;
  /** Closes the connection of a carried socket an offline rule dropped (nothing for other ids). */
  drop(socketId: number): void;
  /** `bufferedAmount` of an open carried socket; undefined for other ids. */
  bufferedAmount(socketId: number): number | undefined;
}

// Saved before page code runs.
const NativeEventTarget = EventTarget;
const NativeEvent = Event;
const NativeMessageEvent = MessageEvent;
const NativeCloseEvent = CloseEvent;
const NativeBlob = Blob;
const NativeURL = URL;
const urlOrigin = getter<string>(URL.prototype, 'origin');
const dispatchEvent = uncurry(EventTarget.prototype.dispatchEvent) as (target: EventTarget, event: Event) => boolean;
const removeEventListener = uncurry(EventTarget.prototype.removeEventListener) as (target: EventTarget, type: string, listener: EventListener) => void;
const domExceptionMessage = getter<string>(DOMException.prototype, 'message');
const domExceptionName = getter<string>(DOMException.prototype, 'name');
const iteratorSymbol: typeof Symbol.iterator = Symbol.iterator;
const noop = () => {};
const CONSTRUCT = "Failed to construct 'WebSocket'";

/**
 * Saves the native WebSocketStream (call it before that is instrumented or
 * the page runs); null where the browser has none.
 */
export function prepareStreamCarrier(global: typeof globalThis, recorder: Recorder, mask: Mask, shaping: Shaping): StreamCarrier | null {
  const found = (global as { WebSocketStream?: new (url: string, options?: object) => object }).WebSocketStream;
  const NativeWebSocket = global.WebSocket;
  if (typeof found !== 'function' || typeof NativeWebSocket !== 'function') return null;
  const NativeStream = found;
  const streamProto = NativeStream.prototype as object;
  const streamUrl = getter<string>(streamProto, 'url');
  const streamOpened = getter<Promise<Opened>>(streamProto, 'opened');
  const streamClosed = getter<Promise<{ closeCode: number; reason: string }>>(streamProto, 'closed');
  const streamClose = uncurry((streamProto as { close: (info?: object) => void }).close);

  const sockets = new NativeWeakMap<object, Carried>();
  /** Open sockets by id: kept alive as a native socket is while it is open, whether the page holds it or not. */
  const live = new SafeMap<number, Carried>();
  const carriedOf = (self: unknown) => weakMapGet(sockets, self) as Carried | undefined;

  /** One carried socket: the page's object, the native stream under it, and the state the page reads. */
  class Carried {
    state = CONNECTING;
    protocol = '';
    extensions = '';
    binaryType: BinaryType = 'blob';
    /** Bytes sent and not yet handed to the network, plus those sent after close() (discarded, as natively). */
    buffered = 0;
    /** The on* attributes, in HANDLER_TYPES order. */
    readonly handlers: unknown[] = [null, null, null, null];
    private readonly origin: string;
    private reader: ReadableStreamDefaultReader | null = null;
    private writer: WritableStreamDefaultWriter | null = null;
    private reading = false;
    private readEnded = false;
    private outcome: Outcome | null = null;
    /** The page saw `open`: a failure before it is an abnormal closure whatever the stream says. */
    private opened = false;
    private dropped = false;
    private readonly outgoing = new Deque<Outgoing>();
    private writesInFlight = 0;
    /** The page's close(), waiting for earlier sends to be handed to the network. */
    private closeRequest: { code: number | undefined; reason: string } | null = null;

    constructor(
      readonly socket: WebSocket,
      readonly stream: object,
      readonly url: string,
      readonly info: SocketInfo,
    ) {
      this.origin = urlOrigin(new NativeURL(url));
      promiseThen(streamOpened(stream), (opened) => this.onOpen(opened), noop);
      promiseThen(
        streamClosed(stream),
        (result) => this.settle({ clean: true, code: result.closeCode, reason: result.reason }),
        () => this.settle({ clean: false }),
      );
    }

    private pipeline(): Pipeline | undefined {
      return shaping.active ? shaping.pipeline(this.info.id) : undefined;
    }

    private onOpen(opened: Opened): void {
      this.reader = getReader(opened.readable);
      this.writer = getWriter(opened.writable);
      // The page closed it while connecting: the stream fails or closes, and the page hears of a failure.
      if (this.state !== CONNECTING || this.dropped) return this.pump();
      this.state = OPEN;
      this.opened = true;
      this.protocol = opened.protocol;
      this.extensions = opened.extensions;
      safely(recordOpened, this);
      dispatchEvent(this.socket, new NativeEvent('open'));
      this.pump();
    }

    /** Reads the next message unless one is being read, or the consumer still holds one. */
    pump(): void {
      if (this.reading || this.readEnded || !this.reader) return;
      const pipeline = this.pipeline();
      if (pipeline && this.state === OPEN && pipeline.consumer.heldCount > 0) return;
      this.reading = true;
      promiseThen(
        read(this.reader),
        (result) => {
          this.reading = false;
          if (result.done) return this.endReading();
          this.receive(result.value as string | ArrayBuffer);
          this.pump();
        },
        () => {
          this.reading = false;
          this.endReading();
        },
      );
    }

    private receive(data: string | ArrayBuffer): void {
      // As natively: no message after the page's close().
      if (this.state !== OPEN || this.dropped) return;
      safely(recordReceived, this, data);
      const pipeline = this.pipeline();
      const size = payloadSize(data);
      if (!pipeline || pipeline.admitReceived(size, false)) return this.deliver(data);
      pipeline.holdReceived(size, false, () => {
        this.deliver(data);
        this.pump();
      });
    }

    private deliver(data: string | ArrayBuffer): void {
      if (this.state !== OPEN || this.dropped) return;
      // As natively, binaryType is read as the message reaches the page.
      const value = typeof data === 'string' || this.binaryType === 'arraybuffer' ? data : new NativeBlob([data]);
      dispatchEvent(this.socket, new NativeMessageEvent('message', withoutPrototype({ data: value, origin: this.origin })));
    }

    private endReading(): void {
      this.readEnded = true;
      this.finish();
    }

    private settle(outcome: Outcome): void {
      this.outcome = outcome;
      if (!this.reader) this.readEnded = true;
      this.finish();
    }

    /** Once every message is read and the stream closed: the close, after what shaping still holds. */
    private finish(): void {
      const outcome = this.outcome;
      if (!outcome || !this.readEnded || this.dropped) return;
      const clean = outcome.clean && this.opened;
      const code = outcome.clean && clean ? outcome.code : ABNORMAL_CLOSURE;
      const reason = outcome.clean && clean ? outcome.reason : '';
      safely(recordClosed, this, clean ? { code, reason } : null);
      const pipeline = this.pipeline();
      const deliver = () => this.closed(clean, code, reason);
      if (!pipeline || pipeline.admitReceived(0, true)) deliver();
      else pipeline.holdReceived(0, true, deliver);
    }

    private closed(clean: boolean, code: number, reason: string): void {
      this.state = CLOSED;
      forget(this);
      // Chromium fires `error` only for a connection that never opened.
      if (!this.opened) dispatchEvent(this.socket, new NativeEvent('error'));
      dispatchEvent(this.socket, new NativeCloseEvent('close', withoutPrototype({ code, reason, wasClean: clean })));
    }

    send(args: unknown[]): void {
      if (args.length === 0) throw new NativeTypeError("Failed to execute 'send' on 'WebSocket': 1 argument required, but only 0 present.");
      const data = convertSendData(args[0]);
      if (this.state === CONNECTING) throw new NativeDOMException("Failed to execute 'send' on 'WebSocket': Still in CONNECTING state.", 'InvalidStateError');
      const size = payloadSize(data);
      this.buffered += size;
      // After close() began, the browser discards what is sent, and counts it.
      if (this.state !== OPEN || this.dropped) return;
      safely(recordSent, this, data);
      // The bytes as they are now: the page may reuse its buffer as soon as send() returns.
      const held = heldPayload(data, size);
      const pipeline = this.pipeline();
      if (pipeline && !pipeline.up.admit(size, false)) pipeline.up.push({ size, control: false, deliver: () => this.write(held, size) });
      else this.write(held, size);
    }

    /** Hands a send to the native stream in order, a Blob once its bytes are read. */
    private write(data: unknown, size: number): void {
      const entry: Outgoing = { data: isBlob(data) ? null : data, size };
      if (entry.data === null) {
        promiseThen(
          readBlob(data as Blob, size),
          (bytes) => {
            entry.data = bytes;
            this.flush();
          },
          () => {
            // Unreadable: nothing goes out for it.
            entry.data = undefined;
            this.flush();
          },
        );
      }
      this.outgoing.push(entry);
      this.flush();
    }

    private flush(): void {
      for (let head = this.outgoing.at(0); head && head.data !== null; head = this.outgoing.at(0)) {
        this.outgoing.shift();
        const { data, size } = head;
        if (data === undefined) {
          this.buffered -= size;
          continue;
        }
        this.writesInFlight++;
        const settled = () => {
          this.buffered -= size;
          this.writesInFlight--;
          this.closeWhenSent();
        };
        promiseThen(write(this.writer as WritableStreamDefaultWriter, data), settled, settled);
      }
      this.closeWhenSent();
    }

    close(args: unknown[]): void {
      const { code, reason } = readCloseArguments(args, 'chromium');
      if (this.state === CLOSING || this.state === CLOSED) return;
      const connecting = this.state === CONNECTING;
      this.state = CLOSING;
      // While connecting, the connection fails: error, then an abnormal close.
      if (connecting) return streamClose(this.stream);
      const pipeline = this.pipeline();
      const request = () => {
        this.closeRequest = { code, reason };
        this.closeWhenSent();
      };
      // The Close frame waits behind sends a shaped link holds.
      if (pipeline && pipeline.up.heldCount > 0) pipeline.up.push({ size: 0, control: true, deliver: request });
      else request();
    }

    private closeWhenSent(): void {
      const request = this.closeRequest;
      if (!request || this.writesInFlight > 0 || this.outgoing.length > 0) return;
      this.closeRequest = null;
      const { code, reason } = request;
      streamClose(this.stream, withoutPrototype(code === undefined ? { reason } : { closeCode: code, reason }));
    }

    /** An offline rule dropped the connection: CLOSED at once, then error and an abnormal close, as when it fails. */
    drop(): void {
      if (this.state === CLOSED || this.dropped) return;
      this.dropped = true;
      this.state = CLOSED;
      streamClose(this.stream);
      safely(recordClosed, this, null);
      setTimeout(() => {
        forget(this);
        dispatchEvent(this.socket, new NativeEvent('error'));
        dispatchEvent(this.socket, new NativeCloseEvent('close', withoutPrototype({ code: ABNORMAL_CLOSURE, reason: '', wasClean: false })));
      }, 0);
    }
  }

  function forget(carried: Carried): void {
    live.delete(carried.info.id);
    shaping.forget(carried.info.id);
  }

  function recordOpened(carried: Carried): void {
    recorder.opened(carried.info, carried.protocol, carried.extensions);
  }

  function recordReceived(carried: Carried, data: string | ArrayBuffer): void {
    recorder.payload(carried.info, 'receive', data);
  }

  function recordSent(carried: Carried, data: unknown): void {
    recorder.sent(carried.info, data);
  }

  /** A clean close's code and reason; null when the connection failed. */
  function recordClosed(carried: Carried, clean: { code: number; reason: string } | null): void {
    if (!clean) recorder.failed(carried.info);
    recorder.closed(carried.info, clean?.code ?? ABNORMAL_CLOSURE, clean?.reason ?? '', clean !== null);
  }

  function construct(args: unknown[], newTarget: Function): WebSocket {
    const url = idlString(args[0], CONSTRUCT);
    const protocols = args.length > 1 && args[1] !== undefined ? readProtocols(args[1]) : undefined;
    let stream: object;
    try {
      stream = new NativeStream(url, withoutPrototype(protocols === undefined ? {} : { protocols: iterable(protocols) }));
    } catch (error) {
      throw asWebSocketError(error);
    }
    const socket = reflectConstruct(NativeEventTarget, [], newTarget) as WebSocket;
    const href = streamUrl(stream);
    const info = recorder.openSocket({ kind: 'WebSocket', url: href, protocols: protocols ?? [], frameUrl: global.location.href, overStream: true });
    const carried = new Carried(socket, stream, href, info);
    weakMapSet(sockets, socket, carried);
    live.set(info.id, carried);
    shaping.track({ id: info.id, url: href, events: true });
    return socket;
  }

  /** One listener per event type serves every carried socket's on* attribute: `this` is the socket. */
  const handlerListeners = HANDLER_TYPES.map(
    (_, index) =>
      function (this: WebSocket, event: Event): void {
        const handler = carriedOf(this)?.handlers[index];
        if (typeof handler !== 'function') return;
        if (reflectApply(handler, this, [event]) === false) preventDefault(event);
      },
  );

  /** An on* attribute set: a listener added when it becomes non-null, removed when null (a later one goes last). */
  function setHandler(carried: Carried, index: number, value: unknown): void {
    const handler = typeof value === 'object' || typeof value === 'function' ? value : null;
    const had = carried.handlers[index] !== null;
    carried.handlers[index] = handler;
    const listener = handlerListeners[index] as EventListener;
    if (handler !== null && !had) addEventListener(carried.socket, HANDLER_TYPES[index], listener);
    else if (handler === null && had) removeEventListener(carried.socket, HANDLER_TYPES[index], listener);
  }

  function setBinaryType(carried: Carried, value: unknown): void {
    const text = idlString(value, "Failed to set the 'binaryType' property on 'WebSocket'");
    // As natively: a value that is not a BinaryType is ignored.
    if (text === 'blob' || text === 'arraybuffer') carried.binaryType = text;
  }

  /** What each WebSocket accessor does for a carried socket. */
  const ACCESSORS: [name: string, part: 'get' | 'set', answer: (carried: Carried, args: unknown[]) => unknown][] = [
    ['url', 'get', (c) => c.url],
    ['readyState', 'get', (c) => c.state],
    ['bufferedAmount', 'get', (c) => c.buffered],
    ['protocol', 'get', (c) => c.protocol],
    ['extensions', 'get', (c) => c.extensions],
    ['binaryType', 'get', (c) => c.binaryType],
    ['binaryType', 'set', (c, args) => setBinaryType(c, args[0])],
    ...HANDLER_TYPES.flatMap((type, index): [string, 'get' | 'set', (c: Carried, args: unknown[]) => unknown][] => [
      [`on${type}`, 'get', (c) => c.handlers[index]],
      [`on${type}`, 'set', (c, args) => setHandler(c, index, args[0])],
    ]),
  ];

  let enabled = false;
  return {
    get enabled() {
      return enabled;
    },
    enable() {
      if (enabled) return;
      enabled = true;
      const proto = NativeWebSocket.prototype;
      for (let i = 0; i < ACCESSORS.length; i++) {
        const [name, part, answer] = ACCESSORS[i];
        deriveAccessor(proto, name, part, mask, (self, args, native) => {
          const carried = carriedOf(self);
          return carried ? answer(carried, args) : native();
        });
      }
      const methods: ['send' | 'close', (carried: Carried, args: unknown[]) => void][] = [
        ['send', (c, args) => c.send(args)],
        ['close', (c, args) => c.close(args)],
      ];
      for (let i = 0; i < methods.length; i++) {
        const [name, method] = methods[i];
        const current = getOwnPropertyDescriptor(proto, name)?.value as Function;
        const replacement = new Proxy(current, {
          apply(target, self: unknown, args: unknown[]) {
            const carried = carriedOf(self);
            return carried ? method(carried, args) : reflectApply(target, self, args);
          },
        });
        replace(proto, name, replacement, mask);
      }
    },
    construct,
    drop(socketId) {
      live.get(socketId)?.drop();
    },
    bufferedAmount: (socketId) => live.get(socketId)?.buffered,
  };
}

/** The native stream's constructor errors, worded as the WebSocket constructor's. */
function asWebSocketError(error: unknown): unknown {
  let message: string;
  let name: string;
  try {
    message = domExceptionMessage(error);
    name = domExceptionName(error);
  } catch {
    return error;
  }
  const prefix = "Failed to construct 'WebSocketStream': ";
  if (stringSlice(message, 0, prefix.length) !== prefix) return error;
  return new NativeDOMException(`${CONSTRUCT}: ${stringSlice(message, prefix.length)}`, name);
}

/**
 * The constructor's `protocols` as WebIDL converts `(DOMString or
 * sequence<DOMString>)`: an object with an iterator is a sequence, read
 * through the page's iterator; anything else one string.
 */
function readProtocols(value: unknown): string[] {
  const list: string[] = [];
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) {
    list[0] = idlString(value, CONSTRUCT);
    return list;
  }
  const method = (value as { [Symbol.iterator]?: unknown })[iteratorSymbol];
  if (method === undefined || method === null) {
    list[0] = idlString(value, CONSTRUCT);
    return list;
  }
  if (typeof method !== 'function') throw new NativeTypeError(`${CONSTRUCT}: The provided value cannot be converted to a sequence.`);
  const iterator = reflectApply(method, value, []) as Iterator<unknown>;
  if ((typeof iterator !== 'object' && typeof iterator !== 'function') || iterator === null) {
    throw new NativeTypeError(`${CONSTRUCT}: The provided value cannot be converted to a sequence.`);
  }
  const next = iterator.next;
  for (;;) {
    const result = reflectApply(next, iterator, []) as IteratorResult<unknown>;
    if ((typeof result !== 'object' && typeof result !== 'function') || result === null) {
      throw new NativeTypeError(`${CONSTRUCT}: The provided value cannot be converted to a sequence.`);
    }
    if (result.done) return list;
    list[list.length] = idlString(result.value, CONSTRUCT);
  }
}
