// One provided WebSocketStream's connection (see provided-stream.ts): the
// native WebSocket under it and the page's two streams in front of it.
import { isValidCloseCode } from '../close-info';
import { ABNORMAL_CLOSURE, CLOSED, CONNECTING, DROPPED, OPEN, Transitions } from '../connection-state';
import { Deque } from '../../realm/deque';
import { payloadSize } from '../../realm/encoding';
import {
  addEventListener,
  heldPayload,
  isArrayBuffer,
  isResizable,
  isSharedArrayBuffer,
  isView,
  iterable,
  messageEventData,
  NativeDOMException,
  NativePromise,
  NativeTypeError,
  noop,
  promiseThen,
  safely,
  setTimeout,
  viewBuffer,
  withoutPrototype,
} from '../../realm/natives';
import { closeQuietly, enqueue, errorReadable, errorWritable, NativeReadableStream, NativeWritableStream } from '../../realm/stream-natives';
import { completeHeldWrite, gatedWrite, heldWrite, throughConsumer, type Pipeline } from '../../shaping/shaping';
import type { SocketInfo } from '../../wire/records';
import { ConnectionSocket, recordMarked, recordReceived, recordSent, type SocketKit } from '../socket-kind';
import type { OwnMessage } from '../../talk-back/own-message';
import type { WebSocketCloseInfo, WebSocketOpenInfo } from '../stream-info';
import { closeEventCode, closeEventReason, closeEventWasClean, type CleanClose } from '../websocket/events';
import { closeInfoOf, connectionError } from './websocket-error';

/** A write completes once at most this much is still waiting to go out. */
const SEND_BUFFER_LIMIT = 1024 * 1024;
/** How often a waiting write looks at `bufferedAmount` again: no event tells when it drains. */
const DRAIN_POLL_MS = 4;

type Message = string | ArrayBuffer;
type Settle<T> = [resolve: (value: T) => void, reject: (error: unknown) => void];

/** The native WebSocket's members the provided streams of a realm use, saved before page code runs. */
export interface ProvidedNatives {
  readonly kit: SocketKit;
  WebSocket: typeof WebSocket;
  url(socket: WebSocket): string;
  readyState(socket: WebSocket): number;
  bufferedAmount(socket: WebSocket): number;
  protocol(socket: WebSocket): string;
  extensions(socket: WebSocket): string;
  setBinaryType(socket: WebSocket, type: BinaryType): void;
  send(socket: WebSocket, data: unknown): void;
  close(socket: WebSocket, code?: number, reason?: string): void;
}

/** What the page's readable may still get: messages (FLOWING), the rest of the queue (ENDED), or nothing. */
const FLOWING = 0;
/** The server closed cleanly: the readable closes once the queue is read. */
const ENDED = 1;
/** The page cancelled its readable: what still arrives is recorded, not kept. */
const CANCELLED = 2;
/** The connection failed: the readable is errored. */
const ERRORED = 3;
type Readable = typeof FLOWING | typeof ENDED | typeof CANCELLED | typeof ERRORED;
const READABLE = new Transitions<Readable>(
  ['FLOWING', 'ENDED', 'CANCELLED', 'ERRORED'],
  [/* FLOWING */ [ENDED, CANCELLED, ERRORED], /* ENDED */ [CANCELLED], /* CANCELLED */ [ERRORED], /* ERRORED */ []],
);

export class Connection extends ConnectionSocket {
  readonly url: string;
  readonly info: SocketInfo;
  readonly opened: Promise<WebSocketOpenInfo>;
  readonly closed: Promise<WebSocketCloseInfo>;
  private settleOpened!: Settle<WebSocketOpenInfo>;
  private settleClosed!: Settle<WebSocketCloseInfo>;
  private readonly socket: WebSocket | null = null;
  private readableState: Readable = FLOWING;
  private readable: ReadableStreamDefaultController | null = null;
  private writable: WritableStreamDefaultController | null = null;
  /** Messages received and not yet pulled by the page. */
  private readonly queue = new Deque<Message>();
  private pullPending = false;
  private readonly drainWaiters = new Deque<() => void>();
  private polling = false;

  constructor(
    readonly natives: ProvidedNatives,
    url: string,
    protocols: string[] | undefined,
    signal: AbortSignal | undefined,
    aborted: boolean,
  ) {
    super();
    const { kit } = natives;
    this.opened = new NativePromise((resolve, reject) => (this.settleOpened = [resolve, reject]));
    this.closed = new NativePromise((resolve, reject) => (this.settleClosed = [resolve, reject]));
    // As native: a page that never looks at them hears of no unhandled rejection.
    promiseThen(this.opened, noop, noop);
    promiseThen(this.closed, noop, noop);
    const record = (href: string) =>
      kit.recorder.openSocket({ kind: 'WebSocketStream', url: href, protocols: protocols ?? [], ...kit.where(), provided: true });
    if (aborted) {
      // Chromium neither parses the URL nor connects.
      this.url = '';
      this.info = record('');
      this.abort();
      return;
    }
    const socket = protocols === undefined ? new natives.WebSocket(url) : new natives.WebSocket(url, iterable(protocols) as unknown as string[]);
    this.socket = socket;
    this.url = natives.url(socket);
    this.info = record(this.url);
    natives.setBinaryType(socket, 'arraybuffer');
    addEventListener(socket, 'open', () => this.onOpen());
    addEventListener(socket, 'message', (event) => this.onMessage(messageEventData(event) as Message));
    addEventListener(socket, 'close', (event) => this.onNativeClose(closeEventCode(event), closeEventReason(event), closeEventWasClean(event)));
    if (signal) addEventListener(signal, 'abort', () => this.onAbort(), { once: true });
    kit.live.add(this);
    // Last: a drop rule in force may apply at once.
    kit.shaping.track({ id: this.info.id, url: this.url, events: false, connecting: () => this.info.readyState === 0 });
  }

  private moveReadableTo(state: Readable): void {
    if (READABLE.allows(this.info.id, this.readableState, state)) this.readableState = state;
  }

  /**
   * The real connection closes; the page sees it lost (abnormal closure,
   * 1006) in a task of its own, as a network event: DROPPED until then, and
   * CLOSED once told. The page's abort of a connection dropped while
   * connecting can still come first, as it would before a real failure's news.
   */
  drop(): void {
    this.detach(null);
  }

  /** As `drop`, but the page hears of a clean close with the server's code and reason. */
  closeAsServer(code: number, reason: string): void {
    this.detach({ code, reason });
  }

  private detach(clean: CleanClose | null): void {
    if (this.state === CLOSED || this.state === DROPPED) return;
    this.moveTo(DROPPED);
    this.natives.close(this.socket as WebSocket);
    setTimeout(() => {
      if (this.state !== DROPPED) return;
      this.moveTo(CLOSED);
      if (clean) this.closedWith(true, clean.code, clean.reason, true);
      else this.closedWith(this.readable !== null, ABNORMAL_CLOSURE, '', false);
      completeHeldWrite(this.pipeline());
    }, 0);
  }

  bufferedAmount(): number {
    return 0;
  }

  private onAbort(): void {
    // The page's abort overtakes the news of a drop while connecting, as it would a real failure's.
    if (this.state === CONNECTING || (this.state === DROPPED && this.readable === null)) this.abort();
  }

  private abort(): void {
    this.moveTo(CLOSED);
    const error = new NativeDOMException('WebSocket handshake was aborted', 'AbortError');
    this.settleOpened[1](error);
    this.settleClosed[1](error);
    if (this.socket) this.natives.close(this.socket);
    safely(recordClosed, this, null);
  }

  private onOpen(): void {
    if (this.state !== CONNECTING) return;
    this.moveTo(OPEN);
    const socket = this.socket as WebSocket;
    safely(recordOpened, this, socket);
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
    this.settleOpened[0]({ extensions: this.natives.extensions(socket), protocol: this.natives.protocol(socket), readable, writable });
  }

  private onMessage(data: Message): void {
    if (this.state !== OPEN) return;
    const pipeline = this.pipeline();
    // While intercept rules apply to what it receives, a message is recorded as it leaves their gate.
    const recording = pipeline && !pipeline.receiveGate.idle && this.readableState !== CANCELLED ? 'record' : 'recorded';
    if (recording === 'recorded') safely(recordReceived, this, data);
    if (this.readableState === CANCELLED) return;
    if (!pipeline) return this.arrive(data);
    // The shaped network down, then the receive gate: the message reaches the queue when they let it.
    const size = payloadSize(data);
    const pastLink = () => pipeline.receiveGate.pass(this.gated('receive', data, size, recording, (passed) => this.arrive(passed as Message)));
    if (pipeline.down.admit(size, false)) pastLink();
    else pipeline.down.push({ size, control: false, deliver: pastLink });
  }

  private arrive(data: Message): void {
    if (this.readableState === CANCELLED || this.readableState === ERRORED) return;
    if (this.pullPending) {
      this.pullPending = false;
      enqueue(this.readable as ReadableStreamDefaultController, data);
    } else {
      this.queue.push(data);
    }
  }

  /** Arrives behind what the network delivered, as a received message past the down link, in order through the receive gate. */
  protected handToPage(data: OwnMessage): void {
    setTimeout(() => {
      const pipeline = this.pipeline();
      if (pipeline) pipeline.receiveGate.pass(this.gated('receive', data, 0, 'own', (passed) => this.arrive(passed as Message)));
      else this.arrive(data);
    }, 0);
  }

  closeAsPage(code: number | undefined, reason: string): void {
    this.closeWith(undefined, code === undefined ? null : { code, reason });
  }

  /** A page read; a shaped consumer (paused, slow) takes from the queue only as fast as it allows. */
  private pull(): Promise<void> | void {
    const pipeline = this.pipeline();
    return pipeline ? throughConsumer(pipeline, () => this.take()) : this.take();
  }

  private take(): void {
    const controller = this.readable as ReadableStreamDefaultController;
    const ended = this.readableState === ENDED;
    if (this.queue.length > 0) enqueue(controller, this.queue.shift() as Message);
    else if (!ended) this.pullPending = true;
    if (ended && this.queue.length === 0) closeQuietly(controller);
  }

  /** The server's clean close reached the queue, behind what the shaped link still held. */
  private end(): void {
    if (this.readableState !== FLOWING) return;
    this.moveReadableTo(ENDED);
    if (this.queue.length === 0) closeQuietly(this.readable as ReadableStreamDefaultController);
  }

  private cancel(reason: unknown): void {
    this.moveReadableTo(CANCELLED);
    this.queue.clear();
    this.closeWith(reason);
  }

  private write(chunk: unknown): Promise<void> | void {
    return this.outbound(sendable(chunk), false);
  }

  /** Sent behind the page's writes that the send gate or the shaped link holds; recorded now. */
  sendAsPage(data: OwnMessage): void {
    safely(recordMarked, this, { direction: 'send', mark: 'sent', data });
    void this.outbound(data, true);
  }

  /**
   * A send (the page's write, or Sockscope's: `own`) through the send gate
   * and the shaped up link. A page's write completes once sent, or at once
   * when a rule drops or answers it.
   */
  private outbound(data: unknown, own: boolean): Promise<void> | void {
    const pipeline = this.pipeline();
    if (!pipeline || this.natives.readyState(this.socket as WebSocket) !== OPEN) return this.send(data, !own);
    const size = payloadSize(data);
    if (pipeline.sendGate.idle) return this.upLink(pipeline, data, size, own);
    return gatedWrite(pipeline, !own, (onward, otherwise) =>
      pipeline.sendGate.pass(this.gated('send', heldPayload(data, size), size, own ? 'own' : 'record', (passed) => onward(this.upLink(pipeline, passed, payloadSize(passed), own, true)), otherwise)),
    );
  }

  /** Sent when the shaped link lets it through (recorded then, unless `recorded`). */
  private upLink(pipeline: Pipeline, data: unknown, size: number, own: boolean, recorded = own): Promise<void> | void {
    if (pipeline.up.admit(size, false)) return this.send(data, !recorded);
    // Sockscope's own send does not hold the page's write: only the page's holds its writable.
    if (!own) return heldWrite(pipeline, data, size, (held) => this.send(held, !recorded));
    pipeline.up.push({ size, control: false, deliver: () => void this.send(data, false) });
  }

  /** Sends now (recorded when `record`); completes once the socket's buffer is below the limit. */
  private send(data: unknown, record: boolean): Promise<void> | void {
    const socket = this.socket as WebSocket;
    const open = this.natives.readyState(socket) === OPEN;
    this.natives.send(socket, data);
    // The browser discards what is sent after close() began, and so resolves it at once, as Chromium does.
    if (!open) return;
    if (record) safely(recordSent, this, data);
    if (this.natives.bufferedAmount(socket) <= SEND_BUFFER_LIMIT) return;
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
      if (this.natives.readyState(socket) !== OPEN || this.natives.bufferedAmount(socket) <= SEND_BUFFER_LIMIT) this.releaseWrites();
      else this.poll();
    }, DRAIN_POLL_MS);
  }

  private releaseWrites(): void {
    while (this.drainWaiters.length > 0) (this.drainWaiters.shift() as () => void)();
  }

  /** close(), a cancelled readable or an aborted writable: a WebSocketError reason gives the code and reason. */
  closeWith(reason: unknown, info = closeInfoOf(reason)): void {
    const socket = this.socket;
    if (!socket || this.state === CLOSED) return;
    const code = info?.code ?? null;
    // A code the page may not send (a 1006 from an error it received) goes as no code.
    if (code !== null && isValidCloseCode(code)) this.natives.close(socket, code, (info as { reason: string }).reason);
    else this.natives.close(socket);
  }

  /** The native socket closed; after a drop, the page hears of the drop instead. */
  private onNativeClose(code: number, reason: string, wasClean: boolean): void {
    if (this.state === CLOSED || this.state === DROPPED) return;
    const wasOpen = this.state === OPEN;
    this.moveTo(CLOSED);
    this.closedWith(wasOpen, code, reason, wasClean);
  }

  /** The page hears of the close: its streams end or fail, `closed` settles, and no rule can reach the socket any more. */
  private closedWith(wasOpen: boolean, code: number, reason: string, wasClean: boolean): void {
    this.releaseWrites();
    this.forget();
    safely(recordClosed, this, wasClean ? { code, reason } : null);
    if (!wasOpen) {
      this.settleOpened[1](connectionError('WebSocket closed before handshake complete.', null));
      this.settleClosed[1](connectionError('WebSocket was not cleanly closed.', ABNORMAL_CLOSURE));
      return;
    }
    const readable = this.readable as ReadableStreamDefaultController;
    const writable = this.writable as WritableStreamDefaultController;
    if (wasClean) {
      // Behind the messages the shaped link and the receive gate hold.
      const pipeline = this.pipeline();
      const pastLink = () => (pipeline ? pipeline.receiveGate.after(() => this.end()) : this.end());
      if (pipeline && pipeline.down.heldCount > 0) pipeline.down.push({ size: 0, control: true, deliver: pastLink });
      else pastLink();
      errorWritable(writable, new NativeDOMException('Cannot write to a closed WebSocketStream.', 'InvalidStateError'));
      this.settleClosed[0]({ closeCode: code, reason });
    } else {
      const error = connectionError('WebSocket was not cleanly closed.', ABNORMAL_CLOSURE);
      this.moveReadableTo(ERRORED);
      this.queue.clear();
      errorReadable(readable, error);
      errorWritable(writable, error);
      this.settleClosed[1](error);
    }
  }
}

function recordOpened(connection: Connection, socket: WebSocket): void {
  const { natives } = connection;
  natives.kit.recorder.opened(connection.info, natives.protocol(socket), natives.extensions(socket));
}

/** A clean close's code and reason; null when it failed or was aborted. */
function recordClosed(connection: Connection, clean: { code: number; reason: string } | null): void {
  const { recorder } = connection.natives.kit;
  if (!clean) recorder.failed(connection.info);
  recorder.closed(connection.info, clean?.code ?? null, clean?.reason ?? '', clean !== null);
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
