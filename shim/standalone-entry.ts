// dist/shim.js: the standalone build for test automation, e.g. Playwright's
// `page.addInitScript({ path: 'dist/shim.js' })`. Exposes one global, `sockscope`.
import { install } from './install';
import { PROTOCOL_VERSION, type Frame, type SocketInfo } from './protocol';

export interface SockscopeApi {
  readonly version: number;
  /** Every socket the page opened, in creation order. */
  sockets(): SocketInfo[];
  /** Retained frames, of one socket or all, oldest first; binary data is base64. */
  frames(socketId?: number): Frame[];
}

const recorder = install(globalThis);
const api: SockscopeApi = Object.freeze({
  version: PROTOCOL_VERSION,
  sockets: () => recorder.socketList(),
  frames: (socketId?: number) => recorder.frameList(socketId),
});
Object.defineProperty(globalThis, 'sockscope', { value: api, writable: false, enumerable: false, configurable: true });
