// What every kind of socket (WebSocket, the browser's WebSocketStream, the
// provided one, WebSocket over a stream) is built with and offers the rest of
// the shim, and the sockets of a realm that are still connected, by id: the
// one way a rule (an offline drop), the sampler or the user (send, deliver,
// close) reaches a socket.
import type { Recorder } from '../capture/recorder';
import type { Mask } from '../realm/mask';
import { NativeDOMException, NativeRangeError, NativeTypeError, noop, safely, setTimeout } from '../realm/natives';
import { SafeMap } from '../realm/safe-collections';
import type { Pipeline, Shaping } from '../shaping/shaping';
import type { Gated, Outcome } from '../talk-back/gate';
import { readOwnMessage, type OwnMessage } from '../talk-back/own-message';
import { payloadSize } from '../realm/encoding';
import { checkClose, checkReason, isServerCloseCode } from './close-info';
import { CONNECTING, CONNECTION, OPEN, type ConnectionState, type Transitions } from './connection-state';
import type { Direction, MessageMark, SocketInfo } from '../wire/records';

/** One socket the shim watches, whatever its kind. */
export interface LiveSocket {
  readonly info: SocketInfo;
  /**
   * An offline "drop" rule applies: the real connection closes, and the page
   * hears of a lost connection (abnormal closure, 1006) in a task of its own.
   */
  drop(): void;
  /** What the page reads as `bufferedAmount` (a stream has none: 0). */
  bufferedAmount(): number;
  /** Open, as the page sees it: only then does Sockscope send, deliver or close for the user. */
  isOpen(): boolean;
  /** Sends as the page's own send() or write() would, in order with them; recorded as `sent`. */
  sendAsPage(data: OwnMessage): void;
  /**
   * Hands the page a message as if the server sent it, in a task of its own,
   * through the consumer (not the down link: it does not cross the network);
   * recorded as `injected`.
   */
  deliverToPage(data: OwnMessage): void;
  /** Closes as the page's own close() would (`code` undefined: none given); the arguments are checked. */
  closeAsPage(code: number | undefined, reason: string): void;
  /**
   * A server's clean close, simulated: the real connection closes, and the
   * page hears of a close with this code and reason in a task of its own, as
   * from a server (what shaping held is lost, as on a drop).
   */
  closeAsServer(code: number, reason: string): void;
}

export class LiveSockets {
  private readonly sockets = new SafeMap<number, LiveSocket>();

  add(socket: LiveSocket): void {
    this.sockets.set(socket.info.id, socket);
  }

  delete(socketId: number): void {
    this.sockets.delete(socketId);
  }

  drop(socketId: number): void {
    this.sockets.get(socketId)?.drop();
  }

  bufferedAmount(socketId: number): number {
    return this.sockets.get(socketId)?.bufferedAmount() ?? 0;
  }

  /** Sends `data` on the socket as the page would. Throws for bad input, an unknown socket or one not open; then nothing is sent. */
  send(socketId: number, data: unknown): void {
    const message = readOwnMessage(data, 'send');
    this.open(socketId, 'send').sendAsPage(message);
  }

  /** Delivers `data` to the page as if the server sent it. Throws as `send` does. */
  inject(socketId: number, data: unknown): void {
    const message = readOwnMessage(data, 'inject');
    this.open(socketId, 'inject').deliverToPage(message);
  }

  /** Closes the socket as the page's close(code, reason) would. Throws as `send` does, and for a code or reason the standard refuses. */
  close(socketId: number, code?: unknown, reason?: unknown): void {
    if (code !== undefined && (typeof code !== 'number' || code % 1 !== 0)) throw new NativeTypeError(`close: the code is an integer, 1000 or 3000–4999 (got ${typeof code === 'number' ? code : typeof code})`);
    if (reason !== undefined && typeof reason !== 'string') throw new NativeTypeError(`close: the reason is a string (got ${typeof reason})`);
    checkClose(code ?? null, reason ?? '', 'close');
    // A reason needs a code on the wire: 1000, as WebSocketStream's close() reads it.
    this.open(socketId, 'close').closeAsPage(code ?? (reason ? 1000 : undefined), reason ?? '');
  }

  /** Closes the socket as if its server closed it with `code` and `reason`. Throws as `send` does, and for a code no server sends. */
  serverClose(socketId: number, code: unknown, reason: unknown = ''): void {
    if (typeof code !== 'number' || !isServerCloseCode(code)) {
      throw new NativeRangeError(`serverClose: the code is one a server sends: 1000–1003, 1007–1014 or 3000–4999 (got ${typeof code === 'number' ? code : typeof code})`);
    }
    if (typeof reason !== 'string') throw new NativeTypeError(`serverClose: the reason is a string (got ${typeof reason})`);
    checkReason(reason, 'serverClose');
    this.open(socketId, 'serverClose').closeAsServer(code, reason);
  }

  private open(socketId: number, context: string): LiveSocket {
    if (typeof socketId !== 'number') throw new NativeTypeError(`${context}: a socket id is a number (got ${typeof socketId})`);
    const socket = this.sockets.get(socketId);
    if (!socket) throw new NativeRangeError(`${context}: no socket ${socketId} is open in this page`);
    if (!socket.isOpen()) throw new NativeDOMException(`${context}: socket ${socketId} is not open (it is connecting or closing)`, 'InvalidStateError');
    return socket;
  }
}

/** What every kind is built with: the realm whose sockets it instruments, and the shim's services there. */
export interface SocketKit {
  readonly global: typeof globalThis;
  readonly recorder: Recorder;
  readonly mask: Mask;
  readonly shaping: Shaping;
  readonly live: LiveSockets;
  /** Where a socket opens now: the document's URL (or the worker's script), and the worker's kind. */
  where(): Pick<SocketInfo, 'frameUrl' | 'worker'>;
}

/**
 * What every kind's socket class shares: its record, the kit it was built
 * with, and its state, changed only through `moveTo`, which the kind's table
 * of allowed moves guards.
 */
export abstract class ShimSocket<S extends number> implements LiveSocket {
  abstract readonly info: SocketInfo;
  abstract readonly natives: { readonly kit: SocketKit };
  abstract state: S;
  protected abstract get transitions(): Transitions<S>;

  abstract drop(): void;
  abstract bufferedAmount(): number;
  abstract isOpen(): boolean;
  abstract sendAsPage(data: OwnMessage): void;
  abstract closeAsPage(code: number | undefined, reason: string): void;
  abstract closeAsServer(code: number, reason: string): void;
  /** Hands the page a message of Sockscope's (recorded already), as a received one reaches it. */
  protected abstract handToPage(data: OwnMessage): void;

  /** The user's message for the page: recorded as injected, then handed on. */
  deliverToPage(data: OwnMessage): void {
    safely(recordMarked, this, { direction: 'receive', mark: 'injected', data });
    this.handToPage(data);
  }

  /** A rule's answer to a send, as if from the server: recorded as mocked, then through the down link, and handed on. */
  private reply(data: OwnMessage): void {
    safely(recordMarked, this, { direction: 'receive', mark: 'mocked', data });
    const pipeline = this.pipeline();
    const hand = () => this.handToPage(data);
    if (pipeline) pipeline.down.push({ size: payloadSize(data), control: false, deliver: hand });
    else hand();
  }

  protected moveTo(state: S): void {
    if (this.transitions.allows(this.info.id, this.state, state)) this.state = state;
  }

  /** The socket's shaping pipeline, once shaping touched it. */
  protected pipeline(): Pipeline | undefined {
    const { shaping } = this.natives.kit;
    return shaping.active ? shaping.pipeline(this.info.id) : undefined;
  }

  /**
   * A message of Sockscope's for the page, delivered as a received one is
   * handed on: in a task of its own, then in order through the receive gate
   * (no rule applies to it) and the consumer.
   */
  protected deliverLater(size: number, deliver: () => void): void {
    setTimeout(() => this.whenConsumerLets(size, deliver), 0);
  }

  /** `deliver` runs now if the receive gate and the consumer let a message through, else when they do. */
  protected whenConsumerLets(size: number, deliver: () => void): void {
    const pipeline = this.pipeline();
    if (!pipeline || (pipeline.receiveGate.idle && pipeline.consumer.admit(size, false))) deliver();
    else pipeline.pastDownLink({ size, control: false, deliver });
  }

  /**
   * A message as a gate takes it. As it leaves it is recorded where the gate
   * decided (when `recording` says `record`): `onward` takes what goes on,
   * edited or not; a dropped or answered one goes nowhere (a rule's reply
   * reaches the page instead), and `otherwise` runs.
   */
  protected gated(direction: Direction, data: unknown, size: number, recording: Recording, onward: (data: unknown) => void, otherwise: () => void = noop): Gated {
    return {
      data,
      size,
      exempt: recording === 'own',
      leave: (outcome) => {
        if (recording === 'record') safely(recordLeaving, this, { direction, data, outcome });
        if (outcome.kind === 'pass') return onward(outcome.data);
        if (outcome.kind === 'reply') this.reply(outcome.data);
        otherwise();
      },
    };
  }

  /** The page's close, behind the sends the send gate and the up link hold: the Close frame goes after them. */
  protected closeBehindSends(pipeline: Pipeline, closeNow: () => void): void {
    const upLink = () => (pipeline.up.heldCount === 0 ? closeNow() : pipeline.up.push({ size: 0, control: true, deliver: closeNow }));
    pipeline.sendGate.after(upLink);
  }

  /** Closed, as the page knows: no rule can reach the socket any more. */
  forget(): void {
    this.natives.kit.live.delete(this.info.id);
    this.natives.kit.shaping.forget(this.info.id);
  }
}

/** A socket whose state the shim keeps whole (every kind but the native WebSocket, whose state is the browser's). */
export abstract class ConnectionSocket extends ShimSocket<ConnectionState> {
  state: ConnectionState = CONNECTING;

  protected get transitions(): Transitions<ConnectionState> {
    return CONNECTION;
  }

  isOpen(): boolean {
    return this.state === OPEN;
  }
}

/** A message received from the network, recorded (run it with `safely`). */
export function recordReceived(socket: ShimSocket<number>, data: unknown): void {
  socket.natives.kit.recorder.payload(socket.info, 'receive', data);
}

/** A message the page sent, recorded (run it with `safely`). */
export function recordSent(socket: ShimSocket<number>, data: unknown): void {
  socket.natives.kit.recorder.sent(socket.info, data);
}

/** A message Sockscope is behind (sent, delivered, edited, dropped, mocked), or one a gate let by, recorded with its mark (run it with `safely`). */
export function recordMarked(socket: ShimSocket<number>, { direction, mark, data, original }: Marked): void {
  const { recorder } = socket.natives.kit;
  if (mark === 'edited') recorder.edited(socket.info, direction, data, original);
  else recorder.payload(socket.info, direction, data, mark);
}

/**
 * How a gated message is recorded: as it leaves (`record`); already, as it
 * arrived before rules applied to it (`recorded`); or as Sockscope's own
 * (`own`), recorded when sent, which no rule touches.
 */
export type Recording = 'record' | 'recorded' | 'own';

/** A message leaving a gate, recorded as the gate's verdict says (run it with `safely`). */
function recordLeaving(socket: ShimSocket<number>, { direction, data, outcome }: { direction: Direction; data: unknown; outcome: Outcome }): void {
  if (outcome.kind === 'pass' && outcome.original === null) return recordMarked(socket, { direction, mark: null, data });
  if (outcome.kind === 'pass') return recordMarked(socket, { direction, mark: 'edited', data: outcome.data, original: data });
  recordMarked(socket, { direction, mark: outcome.kind === 'drop' ? 'dropped' : 'mocked', data });
}

interface Marked {
  direction: Direction;
  /** null: a plain message (recorded where a gate decided, not where it arrived). */
  mark: MessageMark | null;
  data: unknown;
  /** An edited message's data before the edit. */
  original?: unknown;
}
