// One page WebSocketStream the shim watches (see websocket-stream.ts): the
// native stream, the `opened` and `closed` the page gets, and the readable
// and writable of the shim's that stand in front of the native ones.
import { ABNORMAL_CLOSURE, CLOSED, DROPPED, OPEN } from '../connection-state';
import { payloadSize } from '../../realm/encoding';
import { heldPayload, isArrayBuffer, isView, NativeDOMException, NativePromise, noop, promiseThen, safely, setTimeout, withoutPrototype } from '../../realm/natives';
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
import { completeHeldWrite, gatedWrite, heldWrite, throughConsumer, type Pipeline } from '../../shaping/shaping';
import type { CapturedBytes } from '../../capture/recorder';
import type { SocketInfo } from '../../wire/records';
import type { WebSocketCloseInfo, WebSocketOpenInfo } from '../stream-info';
import type { CleanClose } from '../websocket/events';
import { ConnectionSocket, recordMarked, recordReceived, type SocketKit } from '../socket-kind';
import type { OwnMessage } from '../../talk-back/own-message';
import { Deque } from '../../realm/deque';
import type { LostConnectionErrors } from './lost-connection-errors';
import { delays, ReadAhead } from './read-ahead';

/** What the watched streams of a realm share: the native members they use, saved before page code runs, and the kit. */
export interface StreamNatives {
  readonly kit: SocketKit;
  readonly lost: LostConnectionErrors;
  close(stream: object, closeInfo?: object): void;
  errorCloseCode(error: unknown): number | null;
  errorReason(error: unknown): string;
}

type Settle<T> = [resolve: (value: T) => void, reject: (error: unknown) => void];

export class WatchedStream extends ConnectionSocket {
  readonly opened: Promise<WebSocketOpenInfo>;
  readonly closed: Promise<WebSocketCloseInfo>;
  private settleOpened!: Settle<WebSocketOpenInfo>;
  private settleClosed!: Settle<WebSocketCloseInfo>;
  /** The page's streams, once open. */
  private readable: ReadableStreamDefaultController | null = null;
  private writable: WritableStreamDefaultController | null = null;
  private writer: WritableStreamDefaultWriter | null = null;
  /** Reads ahead of the page for a delaying down link, once one applied. */
  private ahead: ReadAhead | null = null;
  /** Chunks for the page ahead of the native stream: delivered by Sockscope, or read for a page read one of those answered. */
  private readonly ready = new Deque<unknown>();
  /** The page's read waits on a native read. */
  private waiting = false;
  /** Chunks of Sockscope's answered that read: the native chunk it brings waits in `ready`. */
  private answered = false;

  constructor(
    readonly natives: StreamNatives,
    readonly info: SocketInfo,
    /** The native stream: a drop closes it. */
    private readonly native: object,
    nativeOpened: Promise<WebSocketOpenInfo>,
    nativeClosed: Promise<WebSocketCloseInfo>,
  ) {
    super();
    this.opened = new NativePromise<WebSocketOpenInfo>((resolve, reject) => (this.settleOpened = [resolve, reject]));
    this.closed = new NativePromise<WebSocketCloseInfo>((resolve, reject) => (this.settleClosed = [resolve, reject]));
    // The native stream's news is recorded, and the page's unless the connection was dropped.
    promiseThen(
      nativeOpened,
      (opened) => this.nativeOpened(opened),
      (error) => this.nativeFailed(error, false),
    );
    promiseThen(
      nativeClosed,
      (result) => this.nativeClosed(result),
      (error) => this.nativeFailed(error, true),
    );
    // As native: a page that never looks at them hears of no unhandled rejection.
    promiseThen(this.opened, noop, noop);
    promiseThen(this.closed, noop, noop);
  }

  private nativeOpened(native: WebSocketOpenInfo): void {
    safely(recordOpened, this, native);
    if (this.state === DROPPED) return;
    this.moveTo(OPEN);
    this.settleOpened[0]({
      extensions: native.extensions,
      protocol: native.protocol,
      readable: this.pageReadable(native.readable),
      writable: this.pageWritable(native.writable),
    });
  }

  private nativeClosed(result: WebSocketCloseInfo): void {
    // Dropped, or closed as by its server: the page and the record heard of the end from the shim.
    if (this.state === DROPPED) return;
    safely(recordClosed, this, result);
    this.moveTo(CLOSED);
    this.settleClosed[0](result);
  }

  /** Both `opened` and `closed` reject when the connection fails: recorded once, each told to the page. */
  private nativeFailed(error: unknown, closed: boolean): void {
    if (this.state === DROPPED) return;
    safely(recordFailure, this, error);
    if (!closed) return this.settleOpened[1](error);
    this.moveTo(CLOSED);
    this.settleClosed[1](error);
  }

  /**
   * The page's readable: one native read per page pull; errors when the native one does. It closes
   * when a native read says done: Chromium 156 resolves the native reader's `closed` while a chunk
   * is still there to read, so when that happens the rest is read out first.
   */
  private pageReadable(native: ReadableStream): ReadableStream {
    const reader = getReader(native);
    const pass = (c: ReadableStreamDefaultController, next: boolean): Promise<void> =>
      promiseThen(
        read(reader),
        (result) => {
          this.waiting = false;
          if (this.state === DROPPED) return;
          if (result.done) {
            while (this.ready.length > 0) enqueue(c, this.ready.shift());
            return closeQuietly(c);
          }
          // A rule that delays or intercepts what is received came while this read was in flight: the read-ahead takes
          // over, and answers the read unless a chunk of Sockscope's did.
          const ahead = next ? null : this.readAheadIfDelayed(c, reader);
          if (ahead) {
            ahead.adopt(result.value, !this.answered);
            this.answered = false;
            return;
          }
          safely(recordReceived, this, result.value);
          if (this.answered) {
            this.answered = false;
            this.ready.push(result.value);
          } else {
            enqueue(c, result.value);
          }
          if (next) pass(c, true);
        },
        (error) => {
          this.waiting = false;
          if (this.state !== DROPPED) errorReadable(c, error);
        },
      );
    return new NativeReadableStream(
      withoutPrototype<UnderlyingDefaultSource>({
        start: (controller: ReadableStreamDefaultController) => {
          this.readable = controller;
          // Returning the promise would resolve with a thenable: a lookup of the page-patchable `then`.
          promiseThen(
            readerClosed(reader),
            () => this.state === DROPPED || (this.ahead ? this.ahead.pump() : void pass(controller, true)),
            (error) => this.state === DROPPED || (this.ahead ? this.ahead.fail(error) : errorReadable(controller, error)),
          );
          this.readAheadIfDelayed(controller, reader);
        },
        pull: (c: ReadableStreamDefaultController) => this.pull(c, reader, pass),
        cancel: (reason: unknown) => {
          this.ahead?.stop();
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
  private pull(
    c: ReadableStreamDefaultController,
    reader: ReadableStreamDefaultReader,
    pass: (c: ReadableStreamDefaultController, next: boolean) => Promise<void>,
  ): Promise<void> | void {
    const pipeline = this.pipeline();
    const ahead = pipeline ? this.readAheadIfDelayed(c, reader) : null;
    const next = (): Promise<void> | void => {
      if (this.ready.length > 0) return enqueue(c, this.ready.shift());
      if (ahead) return ahead.take();
      this.waiting = true;
      return pass(c, false);
    };
    return pipeline ? throughConsumer(pipeline, next) : next();
  }

  /** The read-ahead, started once a rule delays the down link or intercepts what is received; it stays for the rest of the stream, so what it holds keeps its order. */
  private readAheadIfDelayed(c: ReadableStreamDefaultController, reader: ReadableStreamDefaultReader): ReadAhead | null {
    if (this.ahead) return this.ahead;
    const pipeline = this.pipeline();
    if (!pipeline || (!delays(pipeline.downLink) && pipeline.receiveGate.idle)) return null;
    this.ahead = new ReadAhead(pipeline, c, {
      read: () => read(reader),
      received: (chunk) => {
        // While intercept rules apply to what it receives, a message is recorded as it leaves their gate.
        if (!pipeline.receiveGate.idle) return 'record';
        safely(recordReceived, this, chunk);
        return 'recorded';
      },
      pastLink: (chunk, size, recording, arrive, skipped) => pipeline.receiveGate.pass(this.gated('receive', chunk, size, recording, arrive, skipped)),
    });
    return this.ahead;
  }

  /** The page's writable: each write completes when the native one does; errors when the native one does. */
  private pageWritable(native: WritableStream): WritableStream {
    const writer = getWriter(native);
    this.writer = writer;
    return new NativeWritableStream(
      withoutPrototype({
        start: (controller: WritableStreamDefaultController) => {
          this.writable = controller;
          promiseThen(writerClosed(writer), noop, (error) => this.state === DROPPED || errorWritable(controller, error));
        },
        write: (chunk: unknown) => this.write(writer, chunk),
        close: () => closeWrite(writer),
        abort: (reason: unknown) => abortWrite(writer, reason),
      }),
      withoutPrototype({ highWaterMark: 1 }),
    );
  }

  private write(writer: WritableStreamDefaultWriter, chunk: unknown): Promise<void> {
    // Convert as the native sink would, once: strings and buffers as they are (a Symbol is
    // left for the native sink to refuse), anything else by ToString.
    const value = typeof chunk === 'string' || typeof chunk === 'symbol' || isArrayBuffer(chunk) || isView(chunk) ? chunk : `${chunk as string}`;
    const pipeline = typeof value !== 'symbol' ? this.pipeline() : undefined;
    if (pipeline && !pipeline.sendGate.idle) {
      // Recorded as it leaves the gate: the bytes as they are now, for the page may reuse its buffer.
      const size = payloadSize(value);
      return gatedWrite(pipeline, true, (onward, otherwise) =>
        pipeline.sendGate.pass(this.gated('send', heldPayload(value, size), size, 'record', (passed) => onward(this.upLink(pipeline, writer, passed, null)), otherwise)),
      );
    }
    const captured = typeof value === 'string' || typeof value === 'symbol' ? value : this.capture(value as ArrayBuffer | ArrayBufferView);
    return this.upLink(pipeline, writer, value, captured);
  }

  /** A write through the shaped up link, recorded (as `captured`) once written. */
  private upLink(pipeline: Pipeline | undefined, writer: WritableStreamDefaultWriter, value: unknown, captured: string | symbol | CapturedBytes | null): Promise<void> {
    if (pipeline) {
      const size = payloadSize(value);
      if (!pipeline.up.admit(size, false)) return heldWrite(pipeline, value, size, (held) => this.sendNative(writer, held, captured));
    }
    return this.sendNative(writer, value, captured);
  }

  /** A native write, recorded once it completes; its failure is the page's write's. */
  private sendNative(writer: WritableStreamDefaultWriter, value: unknown, captured: string | symbol | CapturedBytes | null): Promise<void> {
    return promiseThen(write(writer, value), () => safely(recordWritten, this, captured), rethrow);
  }

  /** The bytes as they are at write time (the page may reuse its buffer); null when they cannot be read. */
  private capture(source: ArrayBuffer | ArrayBufferView): CapturedBytes | null {
    try {
      return this.natives.kit.recorder.capture(source);
    } catch {
      return null;
    }
  }

  /** Written behind the page's writes (the native writer queues in call order; the send gate and a shaped link hold in order). */
  sendAsPage(data: OwnMessage): void {
    const writer = this.writer as WritableStreamDefaultWriter;
    const send = () => void promiseThen(write(writer, data), () => safely(recordMarked, this, { direction: 'send', mark: 'sent', data }), noop);
    const size = payloadSize(data);
    const pipeline = this.pipeline();
    const upLink = () => (pipeline && !pipeline.up.admit(size, false) ? pipeline.up.push({ size, control: false, deliver: send }) : send());
    if (pipeline && !pipeline.sendGate.idle) pipeline.sendGate.pass(this.gated('send', data, size, 'own', upLink));
    else upLink();
  }

  /**
   * Answers the page's waiting read, or waits for its next one (which the
   * consumer lets through). Once a chunk of Sockscope's answered a read whose
   * native read is still in flight, the readable pulls no more until that
   * completes: what Sockscope delivers meanwhile goes through the consumer
   * as that pull would, to the page's queue; the native chunk follows it.
   */
  protected handToPage(data: OwnMessage): void {
    setTimeout(() => {
      if (this.state !== OPEN) return;
      if (this.ahead) return this.ahead.deliver(data);
      if (!this.waiting) return this.ready.push(data);
      const c = this.readable as ReadableStreamDefaultController;
      const give = () => this.state === OPEN && enqueue(c, data);
      if (!this.answered) {
        this.answered = true;
        return give();
      }
      this.whenConsumerLets(0, give);
    }, 0);
  }

  closeAsPage(code: number | undefined, reason: string): void {
    this.natives.close(this.native, withoutPrototype(code === undefined ? { reason } : { closeCode: code, reason }));
  }

  drop(): void {
    this.detach(null);
  }

  closeAsServer(code: number, reason: string): void {
    this.detach({ code, reason });
  }

  /** The native connection closes; the page hears of its end (`clean`, or lost) in a task of its own, recorded as it hears it. */
  private detach(clean: CleanClose | null): void {
    if (this.state === CLOSED || this.state === DROPPED) return;
    this.moveTo(DROPPED);
    this.natives.close(this.native);
    safely(recordEnd, this, clean);
    setTimeout(() => (clean ? this.endCleanly(clean) : this.lose()), 0);
  }

  /** What the page sees when its connection is lost: the errors, in Chromium's order; writes the up link held complete. */
  private lose(): void {
    const { lost, kit } = this.natives;
    const error = lost.notCleanlyClosed();
    if (this.readable === null || this.writable === null) {
      this.settleOpened[1](lost.beforeOpen());
    } else {
      this.ahead?.stop();
      errorReadable(this.readable, error);
      errorWritable(this.writable, error);
      completeHeldWrite(kit.shaping.pipeline(this.info.id));
    }
    this.settleClosed[1](error);
  }

  /** What the page sees when the server closes cleanly: the chunks ready for it, then the end of the readable; the writable fails; `closed` resolves. */
  private endCleanly({ code, reason }: CleanClose): void {
    const readable = this.readable as ReadableStreamDefaultController;
    this.ahead?.stop();
    while (this.ready.length > 0) enqueue(readable, this.ready.shift());
    closeQuietly(readable);
    errorWritable(this.writable as WritableStreamDefaultController, new NativeDOMException('Cannot write to a closed WebSocketStream.', 'InvalidStateError'));
    completeHeldWrite(this.natives.kit.shaping.pipeline(this.info.id));
    this.settleClosed[0]({ closeCode: code, reason });
  }

  bufferedAmount(): number {
    return 0;
  }
}

function recordWritten(stream: WatchedStream, written: string | symbol | CapturedBytes | null): void {
  if (typeof written === 'string') stream.natives.kit.recorder.text(stream.info, 'send', written);
  else if (written !== null && typeof written === 'object') stream.natives.kit.recorder.bytes(stream.info, 'send', written);
}

function recordOpened(stream: WatchedStream, native: WebSocketOpenInfo): void {
  stream.natives.kit.recorder.opened(stream.info, native.protocol, native.extensions);
}

/** A clean close's code and reason; null when the connection was lost. */
function recordEnd(stream: WatchedStream, clean: CleanClose | null): void {
  if (clean) return recordClosed(stream, { closeCode: clean.code, reason: clean.reason });
  stream.forget();
  stream.natives.kit.recorder.failed(stream.info);
  stream.natives.kit.recorder.closed(stream.info, ABNORMAL_CLOSURE, '', false);
}

function recordClosed(stream: WatchedStream, result: WebSocketCloseInfo): void {
  stream.natives.kit.recorder.closed(stream.info, result.closeCode, result.reason, true);
  stream.forget();
}

/** Both `opened` and `closed` reject when the connection fails: recorded once. */
function recordFailure(stream: WatchedStream, error: unknown): void {
  const { info } = stream;
  if (info.readyState === 3) return;
  stream.forget();
  stream.natives.kit.recorder.failed(info);
  let code: number | null = null;
  let reason = '';
  try {
    code = stream.natives.errorCloseCode(error);
    reason = stream.natives.errorReason(error);
  } catch {
    // Not a WebSocketError (an AbortError, say): no code.
  }
  stream.natives.kit.recorder.closed(info, code, reason, false);
}

function rethrow(error: unknown): never {
  throw error;
}
