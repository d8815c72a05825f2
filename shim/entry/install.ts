import { installToStringMask } from '../realm/mask';
import { realScheduler } from '../realm/scheduler';
import { Shaping } from '../shaping/shaping';
import { prepareWebSocketStream } from '../sockets/provided-stream/provided-stream';
import { Recorder } from '../capture/recorder';
import { Sampler } from '../capture/sampler';
import { instrumentWebSocket } from '../sockets/websocket/websocket';
import { prepareStreamCarrier } from '../sockets/over-stream/over-stream';
import { instrumentWebSocketStream } from '../sockets/websocket-stream/websocket-stream';
import { reflectApply } from '../realm/natives';

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
  /**
   * Carries every WebSocket the page constructs from now on over a native
   * WebSocketStream (Chromium), so that a slow consumer holds the server back
   * over TCP. Where the browser has none (Firefox), warns once and changes nothing.
   */
  carryWebSocketOverStream(): void;
}

const consoleWarn = console.warn;

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
  // The carrier saves the native WebSocketStream before it is instrumented. A native
  // WebSocketStream is instrumented; a provided one records itself and is built on the native
  // WebSocket, so it is prepared before that is instrumented.
  const carrier = prepareStreamCarrier(global, recorder, mask, shaping);
  const dropStream = instrumentWebSocketStream(global, recorder, mask, shaping);
  const provided = prepareWebSocketStream(global, recorder, mask, shaping);
  const webSockets = instrumentWebSocket(global, recorder, mask, shaping, carrier);
  // Each instrument closes only its own sockets.
  drop = (socketId) => {
    webSockets.drop(socketId);
    dropStream(socketId);
    provided.drop(socketId);
  };
  const sampler = new Sampler(recorder, shaping, webSockets.bufferedAmount);
  let warned = false;
  const carryWebSocketOverStream = () => {
    if (carrier) return carrier.enable();
    if (warned) return;
    warned = true;
    reflectApply(consoleWarn, console, [
      '[sockscope] classicOverStream: this browser has no native WebSocketStream to carry WebSocket over; ' +
        'WebSocket stays native, and messages a shaped consumer holds wait in the page.',
    ]);
  };
  return { recorder, shaping, sampler, provideWebSocketStream: provided.provide, carryWebSocketOverStream };
}
