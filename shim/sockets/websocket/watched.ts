// One page WebSocket the shim watches: its record, and the page's view of it
// while shaping applies. Sends the up link holds go to the native socket
// later; events the down link or the consumer holds are taken from the page
// (the shim's listener is the first at the target and stops them) and
// dispatched again later as copies. The page's view stays consistent:
// `bufferedAmount` counts what is held for upload, `readyState` stays OPEN
// (or CLOSING) until a held close reaches the page, a close() waits behind
// held sends as a Close frame waits behind data on a slow link. A socket
// whose pipeline holds nothing and would let a message straight through keeps
// the native path: with zero delays, shaping is not observable.
//
// Copies are untrusted events (`isTrusted` is false): no script can make a
// trusted one. That is the one thing a page can tell while messages are held.
//
// How the page's view departs from the native socket's, one value:
//
//   AS_NATIVE ──an error or close held──▶ CLOSE_HELD
//       ▲  ▲                                  │ the page's close()
//       │  └───the held close reaches the page┤
//       │                                     ▼
//       └──its close reaches the page── PAGE_CLOSING ◀──the page's close() while anything is held── AS_NATIVE
//   AS_NATIVE or PAGE_CLOSING, connection up ──an offline rule, a simulated server close──▶ DROPPED
import { readCloseArguments } from '../close-info';
import { ABNORMAL_CLOSURE, CLOSED, CLOSING, OPEN, Transitions } from '../connection-state';
import { payloadSize } from '../../realm/encoding';
import { eventType, heldPayload, isBlob, messageEventData, preventDefault, safely, stopImmediatePropagation } from '../../realm/natives';
import type { Pipeline } from '../../shaping/shaping';
import type { OwnMessage } from '../../talk-back/own-message';
import type { SocketInfo } from '../../wire/records';
import { recordMarked, recordReceived, ShimSocket, type SocketKit } from '../socket-kind';
import { copyOf, dispatch, fireEnd, fireMessage, messageLike, messageOrigin, type CleanClose } from './events';

/** The page reads the native socket's state. */
const AS_NATIVE = 0;
/** The connection closed and its error or close event is held: the page still sees OPEN. */
const CLOSE_HELD = 1;
/**
 * The page called close() while the shim held something: it sees CLOSING
 * (the native socket may be OPEN behind held sends, or CLOSED with its close
 * held) and gets no message any more, as natively after close().
 */
const PAGE_CLOSING = 2;
/** An offline rule dropped the connection: CLOSED for the page; the native socket's events are not its. */
const DROPPED = 3;
type View = typeof AS_NATIVE | typeof CLOSE_HELD | typeof PAGE_CLOSING | typeof DROPPED;

const VIEW = new Transitions<View>(
  ['AS_NATIVE', 'CLOSE_HELD', 'PAGE_CLOSING', 'DROPPED'],
  [
    /* AS_NATIVE */ [CLOSE_HELD, PAGE_CLOSING, DROPPED],
    /* CLOSE_HELD */ [AS_NATIVE, PAGE_CLOSING],
    /* PAGE_CLOSING */ [AS_NATIVE, DROPPED],
    /* DROPPED */ [],
  ],
);

/** What the sockets of one realm's WebSocket share: the native members, saved before page code runs, and the kit. */
export interface WebSocketNatives {
  readonly kit: SocketKit;
  readyState(ws: WebSocket): number;
  bufferedAmount(ws: WebSocket): number;
  binaryType(ws: WebSocket): BinaryType;
  send(ws: WebSocket, data: unknown): void;
  close(ws: WebSocket, code?: number, reason?: string): void;
}

export class WatchedWebSocket extends ShimSocket<View> {
  /** How the page's view departs from the native socket's. */
  state: View = AS_NATIVE;
  /** Sent after the page's close(): discarded, as natively, but counted in bufferedAmount. */
  private discardedBytes = 0;
  /** A held message is being dispatched: it has left the stages, and the page's listeners run. */
  private handingMessage = false;

  constructor(
    readonly natives: WebSocketNatives,
    readonly ws: WebSocket,
    readonly info: SocketInfo,
  ) {
    super();
  }

  protected get transitions(): Transitions<View> {
    return VIEW;
  }

  /**
   * The shim's first listener saw a trusted message, error or close event:
   * true when shaping takes it (the page gets it later, or never). A message
   * is recorded as it arrives, or, while intercept rules apply to what the
   * socket receives, as it leaves their gate.
   */
  take(event: Event): boolean {
    const type = eventType(event);
    const control = type !== 'message';
    const pipeline = this.pipeline();
    const recordAtGate = !control && pipeline !== undefined && !pipeline.receiveGate.idle;
    if (!control && !recordAtGate) safely(recordReceived, this, messageEventData(event));
    if (this.state === DROPPED || (this.state === PAGE_CLOSING && !control)) return stop(event);
    const size = control || !pipeline ? 0 : payloadSize(messageEventData(event));
    if (!pipeline || pipeline.admitReceived(size, control)) {
      if (control) this.closeReachesPage();
      if (type === 'close') this.forget();
      return false;
    }
    const copy = copyOf(event);
    if (control && this.state === AS_NATIVE) this.moveTo(CLOSE_HELD);
    const deliver = (event: Event) => () => {
      // After the page's close(), no message reaches it, as natively. (The server's own closing
      // handshake does not stop them: what it sent before its Close frame is delivered.)
      if (!control && (this.state === PAGE_CLOSING || this.state === DROPPED)) return;
      if (control) this.closeReachesPage();
      const handing = this.handingMessage;
      this.handingMessage = !control;
      dispatch(this.ws, event);
      this.handingMessage = handing;
      if (type === 'close') this.forget();
    };
    // A message meets the receive gate past the down link.
    const data = control ? null : messageEventData(copy);
    const onward = (passed: unknown) => {
      const event = passed === data ? copy : messageLike(copy, passed, this.natives.binaryType(this.ws));
      pipeline.consumer.push({ size: payloadSize(passed), control: false, deliver: deliver(event) });
    };
    const gated = control ? null : this.gated('receive', data, size, recordAtGate ? 'record' : 'recorded', onward);
    pipeline.holdReceived(size, control, deliver(copy), gated);
    return stop(event);
  }

  /** An error or close event reaches the page: from now on it reads the native socket's state (CLOSED). */
  private closeReachesPage(): void {
    if (this.state === CLOSE_HELD || this.state === PAGE_CLOSING) this.moveTo(AS_NATIVE);
  }

  /**
   * The page sends (its data converted as WebIDL does): `native` to send it
   * now, `held` when the up link keeps a copy to send later, in order, or
   * `discarded` after a close() that waits behind held sends.
   */
  send(data: unknown, own = false): 'native' | 'held' | 'discarded' | 'gated' {
    const size = payloadSize(data);
    if (this.state === PAGE_CLOSING || this.state === DROPPED) {
      this.discardedBytes += size;
      return 'discarded';
    }
    const pipeline = this.pipeline();
    if (!pipeline || this.natives.readyState(this.ws) !== OPEN) return 'native';
    if (pipeline.sendGate.idle) return this.upLink(pipeline, data, size);
    // The native method copies bytes when called; the page may reuse its buffer as soon as send() returns.
    pipeline.sendGate.pass(this.gated('send', heldPayload(data, size), size, own ? 'own' : 'record', (passed) => this.sendOnward(pipeline, passed)));
    return 'gated';
  }

  /** A send on the up link: `native` when it goes now, else held to go in order. */
  private upLink(pipeline: Pipeline, data: unknown, size: number): 'native' | 'held' {
    if (pipeline.up.admit(size, false)) return 'native';
    const held = heldPayload(data, size);
    pipeline.up.push({ size, control: false, deliver: () => this.natives.send(this.ws, held) });
    return 'held';
  }

  /** A send past the send gate goes on to the up link; after the page's close() or a drop, as natively, it is discarded. */
  private sendOnward(pipeline: Pipeline, data: unknown): void {
    if (this.state === PAGE_CLOSING || this.state === DROPPED || this.natives.readyState(this.ws) !== OPEN) return;
    if (this.upLink(pipeline, data, payloadSize(data)) === 'native') this.natives.send(this.ws, data);
  }

  /**
   * The page closes: true when the shim handles it, which it does while it
   * holds anything of the socket's. From then on no held message reaches the
   * page (natively no message event follows close()); with sends held, the
   * Close frame waits behind them; with a close held, the page sees CLOSING
   * until that close reaches it.
   */
  close(args: unknown[]): boolean {
    const view = this.state;
    const pipeline = this.pipeline();
    const native = this.natives.readyState(this.ws);
    const serverClosing = view === AS_NATIVE && native === CLOSING && this.receivedOnTheWay();
    const holding =
      serverClosing ||
      (pipeline !== undefined &&
        pipeline.up.heldCount + pipeline.down.heldCount + pipeline.consumer.heldCount + pipeline.sendGate.heldCount + pipeline.receiveGate.heldCount > 0);
    if (view === DROPPED || !holding || pipeline === undefined) return false;
    if (view === AS_NATIVE && native !== OPEN && !serverClosing) return false;
    // Checked first, as native close() checks them whatever the state.
    const { code, reason } = readCloseArguments(args, 'standard');
    if (view === PAGE_CLOSING) return true;
    this.moveTo(PAGE_CLOSING);
    pipeline.discardReceived();
    // The connection is closed already: the page does not know yet.
    if (view === CLOSE_HELD) return true;
    this.closeBehindSends(pipeline, () => (code === undefined ? this.natives.close(this.ws) : this.natives.close(this.ws, code, reason)));
    return true;
  }

  /**
   * Messages the server sent are held or being handed to the page. After
   * its Close frame the native socket is CLOSING (in Firefox at once), but
   * natively the messages before it reached the page while it was OPEN.
   */
  private receivedOnTheWay(): boolean {
    const pipeline = this.pipeline();
    return this.handingMessage || (pipeline !== undefined && pipeline.down.heldCount + pipeline.receiveGate.heldCount + pipeline.consumer.heldCount > 0);
  }

  /** What the page reads as readyState, given the native socket's. */
  readyState(native: number): number {
    switch (this.state) {
      case AS_NATIVE:
        return native === CLOSING && this.receivedOnTheWay() ? OPEN : native;
      case CLOSE_HELD:
        return OPEN;
      case PAGE_CLOSING:
        return CLOSING;
      case DROPPED:
        return CLOSED;
    }
  }

  /** What the page reads as bufferedAmount: the native count, plus what is held or was discarded. */
  pageBufferedAmount(native: number): number {
    const pipeline = this.pipeline();
    return native + (pipeline ? pipeline.up.heldBytes + pipeline.sendGate.heldBytes : 0) + this.discardedBytes;
  }

  bufferedAmount(): number {
    return this.pageBufferedAmount(this.natives.bufferedAmount(this.ws));
  }

  isOpen(): boolean {
    return this.readyState(this.natives.readyState(this.ws)) === OPEN;
  }

  sendAsPage(data: OwnMessage): void {
    if (!this.natives.kit.shaping.active || this.send(data, true) === 'native') this.natives.send(this.ws, data);
    safely(recordMarked, this, { direction: 'send', mark: 'sent', data });
  }

  protected handToPage(data: OwnMessage): void {
    this.deliverLater(payloadSize(data), () => this.fireOwn(data));
  }

  /** A message of Sockscope's reaches the page. As natively: binaryType is read then, and none comes after the page's close(). */
  private fireOwn(data: unknown): void {
    if (!this.isOpen()) return;
    const binary = typeof data !== 'string' && this.natives.binaryType(this.ws) === 'blob';
    fireMessage(this.ws, binary && !isBlob(data) ? new NativeBlob([data as ArrayBuffer]) : data, messageOrigin(this.info.url));
  }

  closeAsPage(code: number | undefined, reason: string): void {
    const args = code === undefined ? [] : [code, reason];
    if (!(this.natives.kit.shaping.active && this.close(args))) this.natives.close(this.ws, code, reason);
  }

  drop(): void {
    this.detach(null);
  }

  closeAsServer(code: number, reason: string): void {
    this.detach({ code, reason });
  }

  /** Its native events are not the page's any more: the shim told the page of the end itself. */
  get detached(): boolean {
    return this.state === DROPPED;
  }

  /** The native connection closes; the page hears of its end (`clean`, or lost) in a task of its own, recorded as it hears it. */
  private detach(clean: CleanClose | null): void {
    if (this.state === DROPPED || this.natives.readyState(this.ws) === CLOSED) return;
    // The page reads readyState CLOSED from the shim's view, which this turns on.
    this.natives.kit.shaping.activate();
    this.moveTo(DROPPED);
    this.natives.close(this.ws);
    safely(recordEnd, this, clean);
    fireEnd(this.ws, clean, () => this.forget());
  }
}

/** A clean close's code and reason; null when the connection was lost. */
function recordEnd(watched: WatchedWebSocket, clean: CleanClose | null): void {
  const { recorder } = watched.natives.kit;
  if (!clean) recorder.failed(watched.info);
  recorder.closed(watched.info, clean?.code ?? ABNORMAL_CLOSURE, clean?.reason ?? '', clean !== null);
}

const NativeBlob = Blob;

function stop(event: Event): true {
  stopImmediatePropagation(event);
  preventDefault(event);
  return true;
}
