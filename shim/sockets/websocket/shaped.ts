// A WebSocket while shaping applies to it. Sends the up link holds go to the
// native socket later; events the down link or the consumer holds are taken
// from the page (the shim's listener is the first at the target and stops
// them) and dispatched again later as copies. The page's view stays
// consistent: `bufferedAmount` counts what is held for upload, `readyState`
// stays OPEN (or CLOSING) until the held close reaches the page, a close()
// waits behind held sends as a Close frame waits behind data on a slow link.
// A socket whose pipeline holds nothing and would let a message straight
// through keeps the native path: with zero delays, shaping is not observable.
//
// Copies are untrusted events (`isTrusted` is false): no script can make a
// trusted one. That is the one thing a page can tell while messages are held.
import { readCloseArguments } from '../close-info';
import { payloadSize } from '../../realm/encoding';
import {
  eventType,
  getter,
  heldPayload,
  messageEventData,
  NativeWeakMap,
  preventDefault,
  setTimeout,
  stopImmediatePropagation,
  weakMapGet,
  weakMapSet,
} from '../../realm/natives';
import type { SocketInfo } from '../../wire/records';
import { CONNECTING, OPEN, CLOSING, CLOSED } from '../ready-state';
import { SafeMap } from '../../realm/safe-collections';
import type { Pipeline, Shaping } from '../../shaping/shaping';
import { uncurry } from '../../realm/uncurry';

interface Virtual {
  /** An error or close event is held: the page still sees the socket as it was. */
  closeHeld: boolean;
  /** The page called close() while the shim held something: no held message reaches it any more. */
  closing: boolean;
  /** Dropped by an offline rule: CLOSED for the page, the native close event is not its. */
  dropped: boolean;
  /** Sent after close() began: discarded, as native does, but counted in bufferedAmount. */
  discardedBytes: number;
}

export interface ShapedWebSocketNatives {
  readyState: (ws: WebSocket) => number;
  bufferedAmount: (ws: WebSocket) => number;
  send: (ws: WebSocket, data: unknown) => void;
  close: (ws: WebSocket, code?: number, reason?: string) => void;
  closeEventCode: (event: Event) => number;
  closeEventReason: (event: Event) => string;
  closeEventWasClean: (event: Event) => boolean;
}

const dispatchEvent = uncurry(EventTarget.prototype.dispatchEvent) as (target: EventTarget, event: Event) => boolean;
const NativeEvent = Event;
const NativeMessageEvent = MessageEvent;
const NativeCloseEvent = CloseEvent;
const messageEventOrigin = getter<string>(MessageEvent.prototype, 'origin');
const messageEventLastEventId = getter<string>(MessageEvent.prototype, 'lastEventId');

export class ShapedWebSockets {
  private readonly virtuals = new NativeWeakMap<WebSocket, Virtual>();
  private readonly sockets = new SafeMap<number, WebSocket>();

  constructor(
    private readonly shaping: Shaping,
    private readonly natives: ShapedWebSocketNatives,
  ) {}

  /** A new socket: rules in force may apply to it. */
  track(ws: WebSocket, info: SocketInfo): void {
    this.sockets.set(info.id, ws);
    this.shaping.track({ id: info.id, url: info.url, events: true });
  }

  /** Closes the connection of a socket an offline rule dropped: the page sees an abnormal closure. */
  drop(socketId: number): void {
    const ws = this.sockets.get(socketId);
    if (!ws) return;
    const state = this.natives.readyState(ws);
    if (state === CLOSED) return;
    const virtual = this.virtual(ws);
    virtual.dropped = true;
    this.natives.close(ws);
    // As when a connection fails: one task fires error, then close 1006.
    setTimeout(() => {
      dispatchEvent(ws, new NativeEvent('error'));
      dispatchEvent(ws, new NativeCloseEvent('close', { code: 1006, reason: '', wasClean: false }));
      this.forget(socketId);
    }, 0);
  }

  /**
   * The shim's first listener saw a trusted message, error or close event:
   * true when shaping takes it (the page gets it later, or never if dropped).
   */
  take(ws: WebSocket, info: SocketInfo, event: Event): boolean {
    const virtual = weakMapGet(this.virtuals, ws) as Virtual | undefined;
    if (virtual?.dropped) return this.stop(event);
    const pipeline = this.shaping.pipeline(info.id);
    const type = eventType(event);
    if (!pipeline) {
      if (type === 'close') this.forget(info.id);
      return false;
    }
    const control = type !== 'message';
    const size = control ? 0 : payloadSize(messageEventData(event));
    if (pipeline.admitReceived(size, control)) {
      if (type === 'close') this.forget(info.id);
      return false;
    }
    const copy = this.copyOf(event);
    if (control) this.virtual(ws).closeHeld = true;
    pipeline.holdReceived(size, control, () => {
      // After the page's close(), no message reaches it, as natively. (The server's own closing
      // handshake does not stop them: what it sent before its Close frame is delivered.)
      const now = weakMapGet(this.virtuals, ws) as Virtual | undefined;
      if (!control && (now?.closing || now?.dropped)) return;
      if (control) this.virtual(ws).closeHeld = false;
      dispatchEvent(ws, copy);
      if (type === 'close') this.forget(info.id);
    });
    return this.stop(event);
  }

  /**
   * The page sends (its data converted as WebIDL does): `native` to send it
   * now, `held` when the up link keeps a copy to send later, in order, or
   * `discarded` after a close() that waits behind held sends.
   */
  send(ws: WebSocket, info: SocketInfo, data: unknown): 'native' | 'held' | 'discarded' {
    const virtual = weakMapGet(this.virtuals, ws) as Virtual | undefined;
    const size = payloadSize(data);
    if (virtual?.closing || virtual?.dropped) {
      virtual.discardedBytes += size;
      return 'discarded';
    }
    const pipeline = this.shaping.pipeline(info.id);
    if (!pipeline || this.natives.readyState(ws) !== OPEN) return 'native';
    if (pipeline.up.admit(size, false)) return 'native';
    // The native method copies bytes when called; the page may reuse its buffer as soon as send() returns.
    const held = heldPayload(data, size);
    pipeline.up.push({ size, control: false, deliver: () => this.natives.send(ws, held) });
    return 'held';
  }

  /**
   * The page closes: true when the shim handles it, which it does while it
   * holds anything of the socket's. From then on no held message reaches the
   * page (natively no message event follows close()); with sends held, the
   * Close frame waits behind them; with a close held, the page sees CLOSING
   * until that close reaches it.
   */
  close(ws: WebSocket, info: SocketInfo, args: unknown[]): boolean {
    const pipeline = this.shaping.pipeline(info.id);
    const closeHeld = (weakMapGet(this.virtuals, ws) as Virtual | undefined)?.closeHeld === true;
    const holding = pipeline !== undefined && pipeline.up.heldCount + pipeline.down.heldCount + pipeline.consumer.heldCount > 0;
    if (!closeHeld && (!holding || this.natives.readyState(ws) !== OPEN)) return false;
    // Checked first, as native close() checks them whatever the state.
    const { code, reason } = readCloseArguments(args, 'standard');
    const virtual = this.virtual(ws);
    if (virtual.closing) return true;
    virtual.closing = true;
    pipeline?.discardReceived();
    // The connection is closed already: the page does not know yet.
    if (closeHeld) return true;
    const closeNative = () => (code === undefined ? this.natives.close(ws) : this.natives.close(ws, code, reason));
    if ((pipeline as Pipeline).up.heldCount === 0) closeNative();
    else (pipeline as Pipeline).up.push({ size: 0, control: true, deliver: closeNative });
    return true;
  }

  /** What the page reads as readyState. */
  readyState(ws: WebSocket, native: number): number {
    const virtual = weakMapGet(this.virtuals, ws) as Virtual | undefined;
    if (!virtual || native === CONNECTING) return native;
    if (virtual.dropped) return CLOSED;
    if (virtual.closeHeld) return virtual.closing ? CLOSING : OPEN;
    return virtual.closing && native === OPEN ? CLOSING : native;
  }

  /** What the page reads as bufferedAmount, by socket id (0 for a socket no longer tracked). */
  bufferedAmountOf(socketId: number): number {
    const ws = this.sockets.get(socketId);
    return ws ? this.bufferedAmount(ws, { id: socketId }, this.natives.bufferedAmount(ws)) : 0;
  }

  /** What the page reads as bufferedAmount: the native count, plus what is held or was discarded. */
  bufferedAmount(ws: WebSocket, info: Pick<SocketInfo, 'id'> | undefined, native: number): number {
    const virtual = weakMapGet(this.virtuals, ws) as Virtual | undefined;
    const pipeline: Pipeline | undefined = info && this.shaping.pipeline(info.id);
    return native + (pipeline ? pipeline.up.heldBytes : 0) + (virtual ? virtual.discardedBytes : 0);
  }

  private virtual(ws: WebSocket): Virtual {
    let virtual = weakMapGet(this.virtuals, ws) as Virtual | undefined;
    if (!virtual) {
      virtual = { closeHeld: false, closing: false, dropped: false, discardedBytes: 0 };
      weakMapSet(this.virtuals, ws, virtual);
    }
    return virtual;
  }

  forget(socketId: number): void {
    this.sockets.delete(socketId);
    this.shaping.forget(socketId);
  }

  private stop(event: Event): true {
    stopImmediatePropagation(event);
    preventDefault(event);
    return true;
  }

  /** An untrusted copy of a native message, error or close event, with the same fields. */
  private copyOf(event: Event): Event {
    switch (eventType(event)) {
      case 'message':
        return new NativeMessageEvent('message', {
          data: messageEventData(event),
          origin: messageEventOrigin(event),
          lastEventId: messageEventLastEventId(event),
        });
      case 'close':
        return new NativeCloseEvent('close', {
          code: this.natives.closeEventCode(event),
          reason: this.natives.closeEventReason(event),
          wasClean: this.natives.closeEventWasClean(event),
        });
      default:
        return new NativeEvent(eventType(event));
    }
  }
}
