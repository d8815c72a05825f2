import { installToStringMask, type Mask } from '../realm/mask';
import { workerKind } from '../realm/worker-kind';
import { warn } from '../realm/natives';
import { realScheduler } from '../realm/scheduler';
import { Shaping } from '../shaping/shaping';
import { Recorder } from '../capture/recorder';
import { Sampler } from '../capture/sampler';
import { LiveSockets, type SocketKit } from '../sockets/socket-kind';
import { prepareWebSocketStream } from '../sockets/provided-stream/provided-stream';
import { instrumentWebSocket } from '../sockets/websocket/websocket';
import { prepareStreamCarrier } from '../sockets/over-stream/over-stream';
import { instrumentWebSocketStream } from '../sockets/websocket-stream/websocket-stream';

export interface Installed {
  /** Watches the page's sockets. */
  recorder: Recorder;
  /** Slows, stalls and holds the page's sockets as its rules say. */
  shaping: Shaping;
  /** Samples traffic and shaping for a listening panel. */
  sampler: Sampler;
  /** The sockets still connected: what the user's send, deliver and close reach. */
  live: LiveSockets;
  /** Makes the functions the shim replaces stringify as the natives they replace. */
  mask: Mask;
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

/** Instruments the realm's WebSocket APIs. */
export function install(global: typeof globalThis): Installed {
  const recorder = new Recorder();
  const live = new LiveSockets();
  const shaping = new Shaping(
    realScheduler,
    Math.random,
    (socketId) => live.drop(socketId),
    (socketId, shaped) => recorder.shaped(socketId, shaped),
  );
  const worker = workerKind(global);
  const where = () => ({ frameUrl: global.location.href, worker });
  const mask = installToStringMask();
  const kit: SocketKit = { global, recorder, mask, shaping, live, where };
  // The carrier saves the native WebSocketStream before it is instrumented. A native
  // WebSocketStream is instrumented; a provided one records itself and is built on the native
  // WebSocket, so it is prepared before that is instrumented.
  const carrier = prepareStreamCarrier(kit);
  instrumentWebSocketStream(kit);
  const provided = prepareWebSocketStream(kit);
  instrumentWebSocket(kit, carrier);
  const sampler = new Sampler(recorder, shaping, (socketId) => live.bufferedAmount(socketId));
  let warned = false;
  const carryWebSocketOverStream = () => {
    if (carrier) return carrier.enable();
    if (warned) return;
    warned = true;
    warn(
      'classicOverStream: this browser has no native WebSocketStream to carry WebSocket over; ' +
        'WebSocket stays native, and messages a shaped consumer holds wait in the page.',
    );
  };
  return { recorder, shaping, sampler, live, mask, provideWebSocketStream: provided.provide, carryWebSocketOverStream };
}
