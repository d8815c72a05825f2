import { installToStringMask } from './mask';
import { Recorder } from './recorder';
import { instrumentWebSocket } from './websocket';

/** Instruments the page's WebSocket APIs and returns the recorder that watches them. */
export function install(global: typeof globalThis): Recorder {
  const recorder = new Recorder();
  instrumentWebSocket(global, recorder, installToStringMask());
  return recorder;
}
