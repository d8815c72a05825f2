import { installToStringMask } from './mask';
import { realScheduler } from './scheduler';
import { Shaping } from './shaping/shaping';
import { prepareWebSocketStream } from './provided-websocket-stream';
import { Recorder } from './recorder';
import { instrumentWebSocket } from './websocket';
import { instrumentWebSocketStream } from './websocket-stream';

export interface Installed {
  /** Watches the page's sockets. */
  recorder: Recorder;
  /** Slows, stalls and holds the page's sockets as its rules say. */
  shaping: Shaping;
  /**
   * Where the browser has no WebSocketStream (Firefox), supplies one built on
   * WebSocket. Only on request: a page that feature-detects it changes course.
   */
  provideWebSocketStream(): void;
}

/** Instruments the page's WebSocket APIs. */
export function install(global: typeof globalThis): Installed {
  const recorder = new Recorder();
  const mask = installToStringMask();
  // An offline "drop" rule closes a connection through the instrument that made the socket, set
  // below; each ignores the ids of the others.
  let drop: (socketId: number) => void = () => {};
  const shaping = new Shaping(
    realScheduler,
    Math.random,
    (socketId) => drop(socketId),
    (socketId, shaped) => recorder.shaped(socketId, shaped),
  );
  // A native WebSocketStream is instrumented; a provided one records itself and is built on the
  // native WebSocket, so it is prepared before that is instrumented.
  const dropStream = instrumentWebSocketStream(global, recorder, mask, shaping);
  const provided = prepareWebSocketStream(global, recorder, mask, shaping);
  const dropWebSocket = instrumentWebSocket(global, recorder, mask, shaping);
  drop = (socketId) => {
    dropWebSocket(socketId);
    dropStream(socketId);
    provided.drop(socketId);
  };
  return { recorder, shaping, provideWebSocketStream: provided.provide };
}
