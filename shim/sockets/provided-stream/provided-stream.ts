// WebSocketStream and WebSocketError for browsers that lack them (Firefox),
// built on the native WebSocket, behaving as Chromium's native ones do (the
// cross-browser conformance suite compares them), and recorded like every
// other socket. Backpressure:
//   - sending is real: a write completes only once the socket's
//     `bufferedAmount` is at most SEND_BUFFER_LIMIT, so `writer.ready` and
//     `desiredSize` follow the network;
//   - receiving is simulated: a WebSocket cannot stop reading, so messages
//     the page has not pulled wait in this shim's queue (the stream's own
//     queue stays empty: its high-water mark is 0). The socket record says so.
import { isValidCloseCode, readCloseInfo } from '../close-info';
import { Deque } from '../../realm/deque';
import { nativeSourceText, type Mask } from '../../realm/mask';
import {
  addEventListener,
  defineProperty,
  getOwnPropertyDescriptor,
  getter,
  isArrayBuffer,
  isResizable,
  isSharedArrayBuffer,
  isView,
  iterable,
  messageEventData,
  NativeDOMException,
  NativePromise,
  NativeTypeError,
  promiseReject,
  promiseThen,
  safely,
  setter,
  setTimeout,
  toWellFormed,
  viewBuffer,
  withoutPrototype,
} from '../../realm/natives';
import type { SocketInfo } from '../../wire/records';
import type { Recorder } from '../../capture/recorder';
import { SafeMap } from '../../realm/safe-collections';
import { completeHeldWrite, heldWrite, throughConsumer, type Pipeline, type Shaping } from '../../shaping/shaping';
import { payloadSize } from '../../realm/encoding';
import { closeQuietly, enqueue, errorReadable, errorWritable, NativeReadableStream, NativeWritableStream } from '../../realm/stream-natives';
import { uncurry } from '../../realm/uncurry';
import { closeEventCode, closeEventReason, closeEventWasClean } from '../websocket/websocket';

/** A write completes once at most this much is still waiting to go out. */
const SEND_BUFFER_LIMIT = 1024 * 1024;
/** How often a waiting write looks at `bufferedAmount` again: no event tells when it drains. */
const DRAIN_POLL_MS = 4;
const ABNORMAL_CLOSURE = 1006;

type Message = string | ArrayBuffer;

interface Opened {
  extensions: string;
  protocol: string;
  readable: ReadableStream;
  writable: WritableStream;
}

const noop = () => {};

export interface PreparedWebSocketStream {
  /** Defines the two interfaces on `global`, at once or later, once. */
  provide(): void;
  /** Closes a provided stream's connection for an offline "drop" rule, by socket id. */
  drop(socketId: number): void;
}

/**
 * Builds the two interfaces on the native WebSocket as it is now (call it
 * before that is instrumented or the page runs). Where the browser has its
 * own WebSocketStream, `provide` does nothing.
 */
export function prepareWebSocketStream(global: typeof globalThis, recorder: Recorder, mask: Mask, shaping: Shaping): PreparedWebSocketStream {
  if ('WebSocketStream' in global || typeof global.WebSocket !== 'function') return { provide: noop, drop: noop };
  const NativeWebSocket = global.WebSocket;
  const ws = NativeWebSocket.prototype;
  const wsUrl = getter<string>(ws, 'url');
  const readyState = getter<number>(ws, 'readyState');
  const bufferedAmount = getter<number>(ws, 'bufferedAmount');
  const wsProtocol = getter<string>(ws, 'protocol');
  const wsExtensions = getter<string>(ws, 'extensions');
  const setBinaryType = setter<BinaryType>(ws, 'binaryType');
  const send = uncurry(ws.send) as (socket: WebSocket, data: unknown) => void;
  const close = uncurry(ws.close) as (socket: WebSocket, code?: number, reason?: string) => void;
  const signalAborted = getter<boolean>(AbortSignal.prototype, 'aborted');

  let setCloseInfo: (error: WebSocketError, code: number | null, reason: string) => void = noop;
  let closeInfoOf: (error: unknown) => { code: number | null; reason: string } | null = () => null;

  class WebSocketError extends NativeDOMException {
    #closeCode: number | null = null;
    #reason = '';

    constructor(message: unknown = '', init: unknown = undefined) {
      const text = `${message as string}`;
      const info = readCloseInfo(init, 'WebSocketError constructor');
      super(text, 'WebSocketError');
      this.#closeCode = info.code;
      this.#reason = info.reason;
    }

    get closeCode(): number | null {
      return this.#closeCode;
    }

    get reason(): string {
      return this.#reason;
    }

    static {
      // The connection's own errors carry codes a page may not pass (1006).
      setCloseInfo = (error, code, reason) => {
        error.#closeCode = code;
        error.#reason = reason;
      };
      closeInfoOf = (error) => (typeof error === 'object' && error !== null && #closeCode in error ? { code: error.#closeCode, reason: error.#reason } : null);
    }
  }

  /** Connections not yet closed, by socket id: what a drop rule can reach. */
  const live = new SafeMap<number, Connection>();

  const connectionError = (message: string, code: number | null): WebSocketError => {
    const error = new WebSocketError(message);
    setCloseInfo(error, code, '');
    return error;
  };

  /** One WebSocketStream's connection: the native socket and the page's two streams in front of it. */
  class Connection {
    readonly url: string;
    readonly opened: Promise<Opened>;
    readonly closed: Promise<{ closeCode: number; reason: string }>;
    private settleOpened!: [resolve: (value: Opened) => void, reject: (error: unknown) => void];
    private settleClosed!: [resolve: (value: { closeCode: number; reason: string }) => void, reject: (error: unknown) => void];
    private readonly socket: WebSocket | null = null;
    private readonly info: SocketInfo;
    private phase: 'connecting' | 'open' | 'closed' = 'connecting';
    private readable: ReadableStreamDefaultController | null = null;
    private writable: WritableStreamDefaultController | null = null;
    /** Messages received and not yet pulled by the page. */
    private readonly queue = new Deque<Message>();
    private pullPending = false;
    /** The server closed cleanly: the readable closes once the queue is read. */
    private ended = false;
    /** The page cancelled its readable: what still arrives is recorded, not kept. */
    private cancelled = false;
    /** The connection failed: the readable is errored, nothing more reaches it. */
    private failed = false;
    /** An offline rule dropped the connection: what the socket says from then on is not the page's. */
    private dropped = false;
    private readonly drainWaiters = new Deque<() => void>();
    private polling = false;

    constructor(url: string, protocols: string[] | undefined, signal: AbortSignal | undefined) {
      this.opened = new NativePromise((resolve, reject) => (this.settleOpened = [resolve, reject]));
      this.closed = new NativePromise((resolve, reject) => (this.settleClosed = [resolve, reject]));
      // As native: a page that never looks at them hears of no unhandled rejection.
      promiseThen(this.opened, noop, noop);
      promiseThen(this.closed, noop, noop);
      if (signal && signalAborted(signal)) {
        // Chromium neither parses the URL nor connects.
        this.url = '';
        this.info = recorder.openSocket({ kind: 'WebSocketStream', url: '', protocols: protocols ?? [], frameUrl: global.location.href, provided: true });
        this.abort();
        return;
      }
      const socket = protocols === undefined ? new NativeWebSocket(url) : new NativeWebSocket(url, iterable(protocols) as unknown as string[]);
      this.socket = socket;
      this.url = wsUrl(socket);
      this.info = recorder.openSocket({ kind: 'WebSocketStream', url: this.url, protocols: protocols ?? [], frameUrl: global.location.href, provided: true });
      setBinaryType(socket, 'arraybuffer');
      addEventListener(socket, 'open', () => this.onOpen());
      addEventListener(socket, 'message', (event) => this.onMessage(messageEventData(event) as Message));
      addEventListener(socket, 'close', (event) => this.dropped || this.onClose(closeEventCode(event), closeEventReason(event), closeEventWasClean(event)));
      if (signal) addEventListener(signal, 'abort', () => this.phase === 'connecting' && this.abort(), { once: true });
      live.set(this.info.id, this);
      // Last: a drop rule in force may apply at once.
      shaping.track({ id: this.info.id, url: this.url, events: false });
    }

    /**
     * An offline "drop" rule: the real connection closes; the page sees it
     * lost (abnormal closure, 1006) in a task of its own, as a network event.
     */
    drop(): void {
      if (this.phase === 'closed' || this.dropped) return;
      this.dropped = true;
      close(this.socket as WebSocket);
      setTimeout(() => {
        this.onClose(ABNORMAL_CLOSURE, '', false);
        completeHeldWrite(this.pipeline());
      }, 0);
    }

    private abort(): void {
      this.phase = 'closed';
      const error = new NativeDOMException('WebSocket handshake was aborted', 'AbortError');
      this.settleOpened[1](error);
      this.settleClosed[1](error);
      if (this.socket) close(this.socket);
      safely(recordClosed, this.info, null);
    }

    private onOpen(): void {
      if (this.phase !== 'connecting' || this.dropped) return;
      this.phase = 'open';
      const socket = this.socket as WebSocket;
      safely(recordOpened, this.info, socket);
      const readable = new NativeReadableStream(
        withoutPrototype({
          start: (controller: ReadableStreamDefaultController) => void (this.readable = controller),
          pull: () => this.pull(),
          cancel: (reason: unknown) => this.cancel(reason),
        }),
        // Pulled only when the page reads: what it has not asked for stays in this shim's queue (or a shaped link).
        withoutPrototype({ highWaterMark: 0 }),
      );
      const writable = new NativeWritableStream(
        withoutPrototype({
          start: (controller: WritableStreamDefaultController) => void (this.writable = controller),
          write: (chunk: unknown) => this.write(chunk),
          close: () => this.closeWith(null),
          abort: (reason: unknown) => this.closeWith(reason),
        }),
        withoutPrototype({ highWaterMark: 1 }),
      );
      this.settleOpened[0]({ extensions: wsExtensions(socket), protocol: wsProtocol(socket), readable, writable });
    }

    /** The shaping pipeline of this socket, once shaping touched it. */
    private pipeline(): Pipeline | undefined {
      return shaping.active ? shaping.pipeline(this.info.id) : undefined;
    }

    private onMessage(data: Message): void {
      if (this.phase !== 'open' || this.dropped) return;
      safely(recordReceived, this.info, data);
      if (this.cancelled) return;
      const pipeline = this.pipeline();
      if (pipeline) {
        // The shaped network down: the message reaches the queue when the link lets it.
        const size = payloadSize(data);
        if (!pipeline.down.admit(size, false)) return pipeline.down.push({ size, control: false, deliver: () => this.arrive(data) });
      }
      this.arrive(data);
    }

    private arrive(data: Message): void {
      if (this.cancelled || this.failed) return;
      if (this.pullPending) {
        this.pullPending = false;
        enqueue(this.readable as ReadableStreamDefaultController, data);
      } else {
        this.queue.push(data);
      }
    }

    /** A page read; a shaped consumer (paused, slow) takes from the queue only as fast as it allows. */
    private pull(): Promise<void> | void {
      const pipeline = this.pipeline();
      return pipeline ? throughConsumer(pipeline, () => this.take()) : this.take();
    }

    private take(): void {
      const controller = this.readable as ReadableStreamDefaultController;
      if (this.queue.length > 0) enqueue(controller, this.queue.shift() as Message);
      else if (!this.ended) this.pullPending = true;
      if (this.ended && this.queue.length === 0) closeQuietly(controller);
    }

    /** The server's clean close reached the queue, behind what the shaped link still held. */
    private end(): void {
      this.ended = true;
      if (this.queue.length === 0) closeQuietly(this.readable as ReadableStreamDefaultController);
    }

    private cancel(reason: unknown): void {
      this.cancelled = true;
      this.queue.clear();
      this.closeWith(reason);
    }

    private write(chunk: unknown): Promise<void> | void {
      const data = sendable(chunk);
      const pipeline = this.pipeline();
      if (pipeline && readyState(this.socket as WebSocket) === 1) {
        const size = payloadSize(data);
        // Sent when the shaped link lets it through.
        if (!pipeline.up.admit(size, false)) return heldWrite(pipeline, data, size, (held) => this.send(held));
      }
      return this.send(data);
    }

    /** Sends now; completes once the socket's buffer is below the limit. */
    private send(data: unknown): Promise<void> | void {
      const socket = this.socket as WebSocket;
      const open = readyState(socket) === 1;
      send(socket, data);
      // The browser discards what is sent after close() began, and so resolves it at once, as Chromium does.
      if (!open) return;
      safely(recordSent, this.info, data);
      if (bufferedAmount(socket) <= SEND_BUFFER_LIMIT) return;
      return new NativePromise<void>((resolve) => {
        this.drainWaiters.push(resolve);
        this.poll();
      });
    }

    /** Completes waiting writes once the socket drained below the limit, or stopped sending. */
    private poll(): void {
      if (this.polling) return;
      this.polling = true;
      setTimeout(() => {
        this.polling = false;
        const socket = this.socket as WebSocket;
        if (readyState(socket) !== 1 || bufferedAmount(socket) <= SEND_BUFFER_LIMIT) this.releaseWrites();
        else this.poll();
      }, DRAIN_POLL_MS);
    }

    private releaseWrites(): void {
      while (this.drainWaiters.length > 0) (this.drainWaiters.shift() as () => void)();
    }

    /** close(), a cancelled readable or an aborted writable: a WebSocketError reason gives the code and reason. */
    closeWith(reason: unknown, info = closeInfoOf(reason)): void {
      const socket = this.socket;
      if (!socket || this.phase === 'closed') return;
      const code = info?.code ?? null;
      // A code the page may not send (a 1006 from an error it received) goes as no code.
      if (code !== null && isValidCloseCode(code)) close(socket, code, (info as { reason: string }).reason);
      else close(socket);
    }

    private onClose(code: number, reason: string, wasClean: boolean): void {
      if (this.phase === 'closed') return;
      const wasOpen = this.phase === 'open';
      this.phase = 'closed';
      this.releaseWrites();
      live.delete(this.info.id);
      shaping.forget(this.info.id);
      safely(recordClosed, this.info, wasClean ? { code, reason } : null);
      if (!wasOpen) {
        this.settleOpened[1](connectionError('WebSocket closed before handshake complete.', null));
        this.settleClosed[1](connectionError('WebSocket was not cleanly closed.', ABNORMAL_CLOSURE));
        return;
      }
      const readable = this.readable as ReadableStreamDefaultController;
      const writable = this.writable as WritableStreamDefaultController;
      if (wasClean) {
        const pipeline = this.pipeline();
        if (pipeline && pipeline.down.heldCount > 0) pipeline.down.push({ size: 0, control: true, deliver: () => this.end() });
        else this.end();
        errorWritable(writable, new NativeDOMException('Cannot write to a closed WebSocketStream.', 'InvalidStateError'));
        this.settleClosed[0]({ closeCode: code, reason });
      } else {
        const error = connectionError('WebSocket was not cleanly closed.', ABNORMAL_CLOSURE);
        this.failed = true;
        this.queue.clear();
        errorReadable(readable, error);
        errorWritable(writable, error);
        this.settleClosed[1](error);
      }
    }
  }


  /** A write's chunk, converted as Chromium's sink does: buffers and views as they are, anything else by ToString. */
  function sendable(chunk: unknown): unknown {
    if (isArrayBuffer(chunk)) {
      if (isResizable(chunk)) throw new NativeTypeError('WritableStreamDefaultWriter.write: The provided ArrayBuffer value must not be resizable.');
      return chunk;
    }
    if (isView(chunk)) {
      const buffer = viewBuffer(chunk);
      if (isSharedArrayBuffer(buffer)) throw new NativeTypeError('WritableStreamDefaultWriter.write: The provided ArrayBufferView value must not be shared.');
      if (isResizable(buffer)) throw new NativeTypeError('WritableStreamDefaultWriter.write: The provided ArrayBufferView value must not be resizable.');
      return chunk;
    }
    return typeof chunk === 'string' ? chunk : `${chunk as string}`;
  }

  function recordOpened(info: SocketInfo, socket: WebSocket): void {
    recorder.opened(info, wsProtocol(socket), wsExtensions(socket));
  }

  function recordReceived(info: SocketInfo, data: Message): void {
    recorder.payload(info, 'receive', data);
  }

  function recordSent(info: SocketInfo, data: unknown): void {
    recorder.sent(info, data);
  }

  /** A clean close's code and reason; null when it failed or was aborted. */
  function recordClosed(info: SocketInfo, clean: { code: number; reason: string } | null): void {
    if (!clean) recorder.failed(info);
    recorder.closed(info, clean?.code ?? null, clean?.reason ?? '', clean !== null);
  }

  class WebSocketStream {
    #connection: Connection;

    constructor(url: unknown, options: unknown = undefined) {
      if (arguments.length < 1) throw new NativeTypeError('WebSocketStream constructor: At least 1 argument required, but only 0 passed');
      const text = `${url as string}`;
      const { protocols, signal } = readOptions(options);
      this.#connection = new Connection(text, protocols, signal);
    }

    get url(): string {
      return this.#connection.url;
    }

    get opened(): Promise<Opened> {
      return #connection in this ? this.#connection.opened : promiseReject(illegalInvocation('opened'));
    }

    get closed(): Promise<{ closeCode: number; reason: string }> {
      return #connection in this ? this.#connection.closed : promiseReject(illegalInvocation('closed'));
    }

    close(closeInfo: unknown = undefined): void {
      const connection = this.#connection;
      connection.closeWith(undefined, readCloseInfo(closeInfo, 'WebSocketStream.close'));
    }
  }

  function illegalInvocation(member: string): TypeError {
    return new NativeTypeError(`'get ${member}' called on an object that does not implement interface WebSocketStream.`);
  }

  /** WebSocketStreamOptions: `protocols` (a sequence of USVStrings), then `signal` (an AbortSignal). */
  function readOptions(options: unknown): { protocols: string[] | undefined; signal: AbortSignal | undefined } {
    if (options === undefined || options === null) return { protocols: undefined, signal: undefined };
    if (typeof options !== 'object' && typeof options !== 'function') {
      throw new NativeTypeError("WebSocketStream constructor: Value can't be converted to a dictionary.");
    }
    const rawProtocols = (options as { protocols?: unknown }).protocols;
    let protocols: string[] | undefined;
    if (rawProtocols !== undefined) {
      if (typeof rawProtocols !== 'object' || rawProtocols === null) {
        throw new NativeTypeError("WebSocketStream constructor: 'protocols' member of WebSocketStreamOptions can't be converted to a sequence.");
      }
      protocols = [];
      // The page's iterator, as WebIDL sequence conversion uses it.
      for (const protocol of rawProtocols as Iterable<unknown>) protocols[protocols.length] = toWellFormed(`${protocol as string}`);
    }
    const rawSignal = (options as { signal?: unknown }).signal;
    if (rawSignal !== undefined && !isAbortSignal(rawSignal)) {
      throw new NativeTypeError("WebSocketStream constructor: 'signal' member of WebSocketStreamOptions does not implement interface AbortSignal.");
    }
    return { protocols, signal: rawSignal as AbortSignal | undefined };
  }

  function isAbortSignal(value: unknown): boolean {
    try {
      signalAborted(value);
      return true;
    } catch {
      return false;
    }
  }

  // Source text as this engine shows its own functions, made from the native WebSocket's.
  const urlGetter = getOwnPropertyDescriptor(ws, 'url')?.get as Function;
  const sourceText = (member: Function, kind: 'constructor' | 'getter' | 'method', name: string): void =>
    mask(
      member,
      kind === 'constructor'
        ? nativeSourceText(NativeWebSocket, 'WebSocket', name)
        : kind === 'getter'
          ? nativeSourceText(urlGetter, 'url', name)
          : nativeSourceText(ws.close, 'close', name),
    );

  /** Gives a class the shape of a WebIDL interface: enumerable members, a toStringTag, native-looking source text, a global. */
  function defineInterface(constructor: Function, name: string): void {
    const proto = constructor.prototype as object;
    sourceText(constructor, 'constructor', name);
    const keys = Reflect.ownKeys(proto);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      if (key === 'constructor' || typeof key !== 'string') continue;
      const descriptor = getOwnPropertyDescriptor(proto, key) as PropertyDescriptor;
      if (descriptor.get) sourceText(descriptor.get, 'getter', key);
      if (typeof descriptor.value === 'function') sourceText(descriptor.value as Function, 'method', key);
      defineProperty(proto, key, { ...descriptor, enumerable: true });
    }
    defineProperty(proto, Symbol.toStringTag, { value: name, writable: false, enumerable: false, configurable: true });
    defineProperty(global, name, { value: constructor, writable: true, enumerable: false, configurable: true });
  }

  let defined = false;
  return {
    provide: () => {
      if (defined || 'WebSocketStream' in global) return;
      defined = true;
      defineInterface(WebSocketError, 'WebSocketError');
      defineInterface(WebSocketStream, 'WebSocketStream');
    },
    drop: (socketId) => live.get(socketId)?.drop(),
  };
}
