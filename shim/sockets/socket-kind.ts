// What every kind of socket (WebSocket, the browser's WebSocketStream, the
// provided one, WebSocket over a stream) is built with and offers the rest of
// the shim, and the sockets of a realm that are still connected, by id: the
// one way a rule (an offline drop) or the sampler reaches a socket.
import type { Recorder } from '../capture/recorder';
import type { Mask } from '../realm/mask';
import { SafeMap } from '../realm/safe-collections';
import type { Pipeline, Shaping } from '../shaping/shaping';
import { CONNECTING, CONNECTION, type ConnectionState, type Transitions } from './connection-state';
import type { SocketInfo } from '../wire/records';

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
}

/** What every kind is built with: the realm whose sockets it instruments, and the shim's services there. */
export interface SocketKit {
  readonly global: typeof globalThis;
  readonly recorder: Recorder;
  readonly mask: Mask;
  readonly shaping: Shaping;
  readonly live: LiveSockets;
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

  protected moveTo(state: S): void {
    if (this.transitions.allows(this.info.id, this.state, state)) this.state = state;
  }

  /** The socket's shaping pipeline, once shaping touched it. */
  protected pipeline(): Pipeline | undefined {
    const { shaping } = this.natives.kit;
    return shaping.active ? shaping.pipeline(this.info.id) : undefined;
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
}

/** A message received from the network, recorded (run it with `safely`). */
export function recordReceived(socket: ShimSocket<number>, data: unknown): void {
  socket.natives.kit.recorder.payload(socket.info, 'receive', data);
}

/** A message the page sent, recorded (run it with `safely`). */
export function recordSent(socket: ShimSocket<number>, data: unknown): void {
  socket.natives.kit.recorder.sent(socket.info, data);
}
