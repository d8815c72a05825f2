import { installToStringMask } from './mask';
import { provideWebSocketStream } from './provided-websocket-stream';
import { Recorder } from './recorder';
import { instrumentWebSocket } from './websocket';
import { instrumentWebSocketStream } from './websocket-stream';

export interface InstallOptions {
  /**
   * Where the browser has no WebSocketStream (Firefox), supply one built on
   * WebSocket. Off by default: a page that feature-detects it would change course.
   */
  provideWebSocketStream?: boolean;
}

/** Instruments the page's WebSocket APIs and returns the recorder that watches them. */
export function install(global: typeof globalThis, options: InstallOptions = {}): Recorder {
  const recorder = new Recorder();
  const mask = installToStringMask();
  // A native WebSocketStream is instrumented; a provided one records itself, and is built on the
  // native WebSocket, so it comes before that is instrumented.
  instrumentWebSocketStream(global, recorder, mask);
  if (options.provideWebSocketStream) provideWebSocketStream(global, recorder, mask);
  instrumentWebSocket(global, recorder, mask);
  return recorder;
}
