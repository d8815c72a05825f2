// Instruments Chromium's WebSocketStream. The page keeps real native
// instances (the constructor is a Proxy whose construct trap builds the
// native object); what changes is what `opened` hands out: a readable and a
// writable of the shim's that stand in front of the native ones, record what
// passes, and keep native backpressure:
//   - the readable has a high-water mark of 0 and pulls one chunk from the
//     native readable only when the page reads, so nothing is buffered beyond
//     what the native stream buffers, and the network sees the page's pace;
//   - the writable (high-water mark 1, as native) completes a write when the
//     native write completes, so `writer.ready` and `desiredSize` follow it.
// Errors pass through as the same objects. `opened` and `closed` are derived
// from the native promises, one microtask later, both, so their order holds.
import type { Mask } from './mask';
import {
  getOwnPropertyDescriptor,
  getter,
  isArrayBuffer,
  isView,
  NativeWeakMap,
  promiseThen,
  reflectConstruct,
  safely,
  weakMapGet,
  weakMapSet,
  withoutPrototype,
} from './natives';
import type { SocketInfo } from './protocol';
import { heldWrite, throughConsumer, type Shaping } from './shaping/shaping';
import { payloadSize } from './encoding';
import type { CapturedBytes, Recorder } from './recorder';
import { derive, replace, requestedProtocols } from './replace';
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
} from './stream-natives';

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

interface StreamState {
  info: SocketInfo;
  opened: Promise<Opened>;
  closed: Promise<CloseInfo>;
}

const noop = () => {};

export function instrumentWebSocketStream(global: typeof globalThis, recorder: Recorder, mask: Mask, shaping: Shaping): void {
  const Native = (global as { WebSocketStream?: new (url: string, options?: unknown) => object }).WebSocketStream;
  const NativeError = (global as { WebSocketError?: { prototype: object } }).WebSocketError;
  if (typeof Native !== 'function' || !NativeError) return;
  const proto = Native.prototype as object;
  const url = getter<string>(proto, 'url');
  const nativeOpened = getter<Promise<Opened>>(proto, 'opened');
  const nativeClosed = getter<Promise<CloseInfo>>(proto, 'closed');
  const errorCloseCode = getter<number | null>(NativeError.prototype, 'closeCode');
  const errorReason = getter<string>(NativeError.prototype, 'reason');

  const states = new NativeWeakMap<object, StreamState>();
  const stateOf = (stream: unknown) => weakMapGet(states, stream) as StreamState | undefined;

  /**
   * The page's readable: one native read per page pull; errors when the native one does. It closes
   * when a native read says done: Chromium 156 resolves the native reader's `closed` while a chunk
   * is still there to read, so when that happens the rest is read out first.
   */
  function pageReadable(info: SocketInfo, native: ReadableStream): ReadableStream {
    const reader = getReader(native);
    const pass = (c: ReadableStreamDefaultController, next: boolean): Promise<void> =>
      promiseThen(
        read(reader),
        (result) => {
          if (result.done) return closeQuietly(c);
          safely(recordChunk, info, result.value);
          enqueue(c, result.value);
          if (next) pass(c, true);
        },
        (error) => errorReadable(c, error),
      );
    return new NativeReadableStream(
      withoutPrototype<UnderlyingDefaultSource>({
        start(controller: ReadableStreamDefaultController) {
          // Returning the promise would resolve with a thenable: a lookup of the page-patchable `then`.
          promiseThen(readerClosed(reader), () => void pass(controller, true), (error) => errorReadable(controller, error));
        },
        pull: (c: ReadableStreamDefaultController) => pull(info, c, pass),
        cancel: (reason: unknown) => cancelRead(reader, reason),
      }),
      withoutPrototype({ highWaterMark: 0 }),
    );
  }

  /**
   * A page read. A shaped consumer (paused, slow) reads the native stream only
   * as fast as it allows: the native queue fills and TCP holds the server back.
   */
  function pull(info: SocketInfo, c: ReadableStreamDefaultController, pass: (c: ReadableStreamDefaultController, next: boolean) => Promise<void>): Promise<void> | void {
    const pipeline = shaping.active ? shaping.pipeline(info.id) : undefined;
    return pipeline ? throughConsumer(pipeline, () => pass(c, false)) : pass(c, false);
  }



  function recordChunk(info: SocketInfo, chunk: unknown): void {
    recorder.payload(info, 'receive', chunk);
  }

  /** The page's writable: each write completes when the native one does; errors when the native one does. */
  function pageWritable(info: SocketInfo, native: WritableStream): WritableStream {
    const writer = getWriter(native);
    return new NativeWritableStream(
      withoutPrototype({
        start(controller: WritableStreamDefaultController) {
          promiseThen(writerClosed(writer), noop, (error) => errorWritable(controller, error));
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
    shaping.track({ id: info.id, url: info.url });
    const opened = promiseThen(
      nativeOpened(stream),
      (native: Opened) => {
        safely(onOpen, info, native);
        return {
          extensions: native.extensions,
          protocol: native.protocol,
          readable: pageReadable(info, native.readable),
          writable: pageWritable(info, native.writable),
        };
      },
      (error) => {
        safely(onFailure, info, error);
        throw error;
      },
    ) as unknown as Promise<Opened>;
    const closed = promiseThen(
      nativeClosed(stream),
      (result: CloseInfo) => {
        safely(onClose, info, result);
        return result;
      },
      (error) => {
        safely(onFailure, info, error);
        throw error;
      },
    ) as unknown as Promise<CloseInfo>;
    // As native: a page that never looks at them hears of no unhandled rejection.
    promiseThen(opened, noop, noop);
    promiseThen(closed, noop, noop);
    weakMapSet(states, stream, { info, opened, closed });
  }

  function onOpen(info: SocketInfo, native: Opened): void {
    recorder.opened(info, native.protocol, native.extensions);
  }

  function onClose(info: SocketInfo, result: CloseInfo): void {
    recorder.closed(info, result.closeCode, result.reason, true);
    shaping.forget(info.id);
  }

  /** Both `opened` and `closed` reject when the connection fails: record it once. */
  function onFailure(info: SocketInfo, error: unknown): void {
    if (info.readyState === 3) return;
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
}

function rethrow(error: unknown): never {
  throw error;
}
