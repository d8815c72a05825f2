// Instruments Chromium's WebSocketStream. The page keeps real native
// instances (the constructor is a Proxy whose construct trap builds the
// native object); what changes is what `opened` hands out: a readable and a
// writable of the shim's that stand in front of the native ones, record what
// passes, and keep native backpressure:
//   - the readable has a high-water mark of 0 and pulls one chunk from the
//     native readable only when the page reads, so nothing is buffered beyond
//     what the native stream buffers, and the network sees the page's pace
//     (a rule that delays the down link reads ahead, within what a link of
//     that speed and delay holds in flight: read-ahead.ts);
//   - the writable (high-water mark 1, as native) completes a write when the
//     native write completes, so `writer.ready` and `desiredSize` follow it.
// Errors pass through as the same objects. `opened` and `closed` settle as
// the native promises do, one microtask later, both, so their order holds;
// once an offline rule drops the connection they settle as a lost connection
// does instead (see lost-connection-errors.ts), whatever the native stream says.
import type { Mask } from '../../realm/mask';
import { lostConnectionErrors } from './lost-connection-errors';
import {
  getOwnPropertyDescriptor,
  getter,
  isArrayBuffer,
  isView,
  NativePromise,
  NativeWeakMap,
  promiseThen,
  reflectConstruct,
  safely,
  setTimeout,
  weakMapGet,
  weakMapSet,
  withoutPrototype,
} from '../../realm/natives';
import type { SocketInfo } from '../../wire/records';
import { SafeMap } from '../../realm/safe-collections';
import { delays, ReadAhead } from './read-ahead';
import { completeHeldWrite, heldWrite, throughConsumer, type Shaping } from '../../shaping/shaping';
import { payloadSize } from '../../realm/encoding';
import { uncurry } from '../../realm/uncurry';
import type { CapturedBytes, Recorder } from '../../capture/recorder';
import { derive, replace, requestedProtocols } from '../../realm/replace';
import {
  abortWrite,
  cancelRead,
  closeQuietly,
  closeWrite,
  enqueue,
  errorReadable,
  errorWritable,
  getReader,
  getWriter,
  NativeReadableStream,
  NativeWritableStream,
  read,
  readerClosed,
  write,
  writerClosed,
} from '../../realm/stream-natives';

interface Opened {
  extensions: string;
  protocol: string;
  readable: ReadableStream;
  writable: WritableStream;
}

interface CloseInfo {
  closeCode: number;
  reason: string;
}

type Settle<T> = [resolve: (value: T) => void, reject: (error: unknown) => void];

interface StreamState {
  info: SocketInfo;
  /** The native stream: a drop closes it. */
  native: object;
  opened: Promise<Opened>;
  closed: Promise<CloseInfo>;
  settleOpened: Settle<Opened>;
  settleClosed: Settle<CloseInfo>;
  /** What the page has been told. */
  phase: 'connecting' | 'open' | 'closed';
  /** The page's streams, once open. */
  readable: ReadableStreamDefaultController | null;
  writable: WritableStreamDefaultController | null;
  /** An offline rule dropped the connection: what the native stream says from then on is not the page's. */
  dropped: boolean;
  /** Reads ahead of the page for a delaying down link, once one applied. */
  ahead: ReadAhead | null;
}

const noop = () => {};

/** Returns what closes a stream's connection for an offline "drop" rule, by socket id. */
export function instrumentWebSocketStream(global: typeof globalThis, recorder: Recorder, mask: Mask, shaping: Shaping): (socketId: number) => void {
  const Native = (global as { WebSocketStream?: new (url: string, options?: unknown) => object }).WebSocketStream;
  const NativeError = (global as { WebSocketError?: Function }).WebSocketError;
  if (typeof Native !== 'function' || typeof NativeError !== 'function') return noop;
  const proto = Native.prototype as object;
  const closeNative = uncurry((proto as { close: () => void }).close) as (stream: object) => void;
  const lost = lostConnectionErrors(NativeError, mask, shaping);
  const url = getter<string>(proto, 'url');
  const nativeOpened = getter<Promise<Opened>>(proto, 'opened');
  const nativeClosed = getter<Promise<CloseInfo>>(proto, 'closed');
  const errorCloseCode = getter<number | null>(NativeError.prototype, 'closeCode');
  const errorReason = getter<string>(NativeError.prototype, 'reason');

  const states = new NativeWeakMap<object, StreamState>();
  const stateOf = (stream: unknown) => weakMapGet(states, stream) as StreamState | undefined;
  /** Streams whose connection is up, by socket id: what a drop rule can reach. */
  const live = new SafeMap<number, StreamState>();

  /**
   * The page's readable: one native read per page pull; errors when the native one does. It closes
   * when a native read says done: Chromium 156 resolves the native reader's `closed` while a chunk
   * is still there to read, so when that happens the rest is read out first.
   */
  function pageReadable(state: StreamState, native: ReadableStream): ReadableStream {
    const { info } = state;
    const reader = getReader(native);
    const pass = (c: ReadableStreamDefaultController, next: boolean): Promise<void> =>
      promiseThen(
        read(reader),
        (result) => {
          if (state.dropped) return;
          if (result.done) return closeQuietly(c);
          safely(recordChunk, info, result.value);
          enqueue(c, result.value);
          if (next) pass(c, true);
        },
        (error) => state.dropped || errorReadable(c, error),
      );
    return new NativeReadableStream(
      withoutPrototype<UnderlyingDefaultSource>({
        start(controller: ReadableStreamDefaultController) {
          state.readable = controller;
          // Returning the promise would resolve with a thenable: a lookup of the page-patchable `then`.
          promiseThen(
            readerClosed(reader),
            () => state.dropped || (state.ahead ? state.ahead.pump() : void pass(controller, true)),
            (error) => state.dropped || (state.ahead ? state.ahead.fail(error) : errorReadable(controller, error)),
          );
          readAheadIfDelayed(state, controller, reader);
        },
        pull: (c: ReadableStreamDefaultController) => pull(state, c, reader, pass),
        cancel: (reason: unknown) => {
          state.ahead?.stop();
          return cancelRead(reader, reason);
        },
      }),
      withoutPrototype({ highWaterMark: 0 }),
    );
  }

  /**
   * A page read. A shaped consumer (paused, slow) reads the native stream only
   * as fast as it allows: the native queue fills and TCP holds the server back.
   * A delaying down link reads ahead of it (read-ahead.ts).
   */
  function pull(
    state: StreamState,
    c: ReadableStreamDefaultController,
    reader: ReadableStreamDefaultReader,
    pass: (c: ReadableStreamDefaultController, next: boolean) => Promise<void>,
  ): Promise<void> | void {
    const pipeline = shaping.active ? shaping.pipeline(state.info.id) : undefined;
    if (!pipeline) return pass(c, false);
    const ahead = readAheadIfDelayed(state, c, reader);
    return throughConsumer(pipeline, ahead ? () => ahead.take() : () => pass(c, false));
  }

  /** The read-ahead, started once a rule delays the down link; it stays for the rest of the stream, so what it holds keeps its order. */
  function readAheadIfDelayed(state: StreamState, c: ReadableStreamDefaultController, reader: ReadableStreamDefaultReader): ReadAhead | null {
    if (state.ahead) return state.ahead;
    const pipeline = shaping.active ? shaping.pipeline(state.info.id) : undefined;
    if (!pipeline || !delays(pipeline.downLink)) return null;
    state.ahead = new ReadAhead(pipeline, c, { read: () => read(reader), received: (chunk) => safely(recordChunk, state.info, chunk) });
    return state.ahead;
  }

  function recordChunk(info: SocketInfo, chunk: unknown): void {
    recorder.payload(info, 'receive', chunk);
  }

  /** The page's writable: each write completes when the native one does; errors when the native one does. */
  function pageWritable(state: StreamState, native: WritableStream): WritableStream {
    const { info } = state;
    const writer = getWriter(native);
    return new NativeWritableStream(
      withoutPrototype({
        start(controller: WritableStreamDefaultController) {
          state.writable = controller;
          promiseThen(writerClosed(writer), noop, (error) => state.dropped || errorWritable(controller, error));
        },
        write(chunk: unknown) {
          // Convert as the native sink would, once: strings and buffers as they are (a Symbol is
          // left for the native sink to refuse), anything else by ToString.
          const value = typeof chunk === 'string' || typeof chunk === 'symbol' || isArrayBuffer(chunk) || isView(chunk) ? chunk : `${chunk as string}`;
          const captured = typeof value === 'string' || typeof value === 'symbol' ? value : capture(value as ArrayBuffer | ArrayBufferView);
          const pipeline = shaping.active && typeof value !== 'symbol' ? shaping.pipeline(info.id) : undefined;
          if (pipeline) {
            const size = payloadSize(value);
            if (!pipeline.up.admit(size, false)) return heldWrite(pipeline, value, size, (held) => sendNative(info, writer, held, captured));
          }
          return sendNative(info, writer, value, captured);
        },
        close: () => closeWrite(writer),
        abort: (reason: unknown) => abortWrite(writer, reason),
      }),
      withoutPrototype({ highWaterMark: 1 }),
    );
  }

  /** A native write, recorded once it completes; its failure is the page's write's. */
  function sendNative(info: SocketInfo, writer: WritableStreamDefaultWriter, value: unknown, captured: string | symbol | CapturedBytes | null): Promise<void> {
    return promiseThen(write(writer, value), () => safely(recordWritten, info, captured), rethrow);
  }

  /** The bytes as they are at write time (the page may reuse its buffer); null when they cannot be read. */
  function capture(source: ArrayBuffer | ArrayBufferView): CapturedBytes | null {
    try {
      return recorder.capture(source);
    } catch {
      return null;
    }
  }

  function recordWritten(info: SocketInfo, written: string | symbol | CapturedBytes | null): void {
    if (typeof written === 'string') recorder.text(info, 'send', written);
    else if (written !== null && typeof written === 'object') recorder.bytes(info, 'send', written);
  }

  function track(stream: object, options: unknown): void {
    const protocols = typeof options === 'object' && options !== null ? getOwnPropertyDescriptor(options, 'protocols')?.value : undefined;
    const info = recorder.openSocket({
      kind: 'WebSocketStream',
      url: url(stream),
      protocols: requestedProtocols(protocols),
      frameUrl: global.location.href,
    });
    const state = { info, native: stream, phase: 'connecting', readable: null, writable: null, dropped: false, ahead: null } as StreamState;
    state.opened = new NativePromise<Opened>((resolve, reject) => (state.settleOpened = [resolve, reject]));
    state.closed = new NativePromise<CloseInfo>((resolve, reject) => (state.settleClosed = [resolve, reject]));
    // The native stream's news is recorded, and the page's unless the connection was dropped.
    promiseThen(
      nativeOpened(stream),
      (native: Opened) => {
        safely(onOpen, info, native);
        if (state.dropped) return;
        state.phase = 'open';
        state.settleOpened[0]({
          extensions: native.extensions,
          protocol: native.protocol,
          readable: pageReadable(state, native.readable),
          writable: pageWritable(state, native.writable),
        });
      },
      (error) => {
        safely(onFailure, info, error);
        if (!state.dropped) state.settleOpened[1](error);
      },
    );
    promiseThen(
      nativeClosed(stream),
      (result: CloseInfo) => {
        safely(onClose, info, result);
        if (state.dropped) return;
        state.phase = 'closed';
        state.settleClosed[0](result);
      },
      (error) => {
        safely(onFailure, info, error);
        if (state.dropped) return;
        state.phase = 'closed';
        state.settleClosed[1](error);
      },
    );
    // As native: a page that never looks at them hears of no unhandled rejection.
    promiseThen(state.opened, noop, noop);
    promiseThen(state.closed, noop, noop);
    weakMapSet(states, stream, state);
    live.set(info.id, state);
    // Last: a drop rule in force may apply at once.
    shaping.track({ id: info.id, url: info.url, events: false });
  }

  /** An offline "drop" rule: the real connection closes; the page sees it lost, in a task of its own, as a network event. */
  function drop(socketId: number): void {
    const state = live.get(socketId);
    if (!state || state.dropped || state.phase === 'closed') return;
    state.dropped = true;
    closeNative(state.native);
    setTimeout(() => lose(state), 0);
  }

  /** What the page sees when its connection is lost: the errors, in Chromium's order; writes the up link held complete. */
  function lose(state: StreamState): void {
    const error = lost.notCleanlyClosed();
    if (state.phase === 'connecting') {
      state.settleOpened[1](lost.beforeOpen());
    } else {
      state.ahead?.stop();
      errorReadable(state.readable as ReadableStreamDefaultController, error);
      errorWritable(state.writable as WritableStreamDefaultController, error);
      completeHeldWrite(shaping.pipeline(state.info.id));
    }
    state.phase = 'closed';
    state.settleClosed[1](error);
  }

  function onOpen(info: SocketInfo, native: Opened): void {
    recorder.opened(info, native.protocol, native.extensions);
  }

  function onClose(info: SocketInfo, result: CloseInfo): void {
    recorder.closed(info, result.closeCode, result.reason, true);
    live.delete(info.id);
    shaping.forget(info.id);
  }

  /** Both `opened` and `closed` reject when the connection fails: record it once. */
  function onFailure(info: SocketInfo, error: unknown): void {
    if (info.readyState === 3) return;
    live.delete(info.id);
    shaping.forget(info.id);
    recorder.failed(info);
    let code: number | null = null;
    let reason = '';
    try {
      code = errorCloseCode(error);
      reason = errorReason(error);
    } catch {
      // Not a WebSocketError (an AbortError, say): no code.
    }
    recorder.closed(info, code, reason, false);
  }

  const Instrumented: Function = new Proxy(Native, {
    construct(target, args: unknown[], newTarget: Function) {
      const stream = reflectConstruct(target, args, newTarget === Instrumented ? target : newTarget) as object;
      safely(track, stream, args[1]);
      return stream;
    },
  });

  // Answered from the shim's state for tracked streams, natively otherwise.
  derive(proto, 'opened', mask, (self, native) => stateOf(self)?.opened ?? native());
  derive(proto, 'closed', mask, (self, native) => stateOf(self)?.closed ?? native());
  replace(proto, 'constructor', Instrumented, mask);
  replace(global, 'WebSocketStream', Instrumented, mask);
  return drop;
}

function rethrow(error: unknown): never {
  throw error;
}
