import { installToStringMask } from './mask';
import { Recorder } from './recorder';
import { instrumentWebSocket } from './websocket';
import { instrumentWebSocketStream } from './websocket-stream';

/** Instruments the page's WebSocket APIs and returns the recorder that watches them. */
export function install(global: typeof globalThis): Recorder {
  const recorder = new Recorder();
  const mask = installToStringMask();
  instrumentWebSocket(global, recorder, mask);
  instrumentWebSocketStream(global, recorder, mask);
  return recorder;
}
