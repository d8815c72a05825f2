// What every kind of socket (WebSocket, the browser's WebSocketStream, the
// provided one, WebSocket over a stream) is built with and offers the rest of
// the shim, and the sockets of a realm that are still connected, by id: the
// one way a rule (an offline drop) or the sampler reaches a socket.
import type { Recorder } from '../capture/recorder';
import type { Mask } from '../realm/mask';
import { SafeMap } from '../realm/safe-collections';
import type { Shaping } from '../shaping/shaping';
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
