import { installToStringMask } from './mask';
import { realScheduler } from './scheduler';
import { Shaping } from './shaping/shaping';
import { prepareWebSocketStream } from './provided-websocket-stream';
import { Recorder } from './recorder';
import { Sampler } from './sampler';
import { instrumentWebSocket } from './websocket';
import { instrumentWebSocketStream } from './websocket-stream';

export interface Installed {
  /** Watches the page's sockets. */
  recorder: Recorder;
  /** Slows, stalls and holds the page's sockets as its rules say. */
  shaping: Shaping;
  /** Samples traffic and shaping for a listening panel. */
  sampler: Sampler;
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
  // An offline "drop" rule closes a connection through the WebSocket instrument, set below.
  let drop: (socketId: number) => void = () => {};
  const shaping = new Shaping(
    realScheduler,
    Math.random,
    (socketId) => drop(socketId),
    (socketId, shaped) => recorder.shaped(socketId, shaped),
  );
  // A native WebSocketStream is instrumented; a provided one records itself and is built on the
  // native WebSocket, so it is prepared before that is instrumented.
  instrumentWebSocketStream(global, recorder, mask, shaping);
  const provideWebSocketStream = prepareWebSocketStream(global, recorder, mask, shaping);
  const webSockets = instrumentWebSocket(global, recorder, mask, shaping);
  drop = webSockets.drop;
  const sampler = new Sampler(recorder, shaping, webSockets.nativeBuffered);
  return { recorder, shaping, sampler, provideWebSocketStream };
}
