// dist/shim.js: the standalone build for test automation, e.g. Playwright's
// `page.addInitScript({ path: 'dist/shim.js' })`. Exposes one global, `sockscope`.
// Options come from a `sockscopeOptions` global set before it runs, which it
// reads and deletes: `{ provideWebSocketStream: true }` (see InstallOptions).
import { install, type InstallOptions } from './install';
import { PROTOCOL_VERSION, type Frame, type SocketInfo } from './protocol';

export interface SockscopeApi {
  readonly version: number;
  /** Every socket the page opened, in creation order. */
  sockets(): SocketInfo[];
  /** Retained frames, of one socket or all, oldest first; binary data is base64. */
  frames(socketId?: number): Frame[];
}

const recorder = install(globalThis, takeOptions());
const api: SockscopeApi = Object.freeze({
  version: PROTOCOL_VERSION,
  sockets: () => recorder.socketList(),
  frames: (socketId?: number) => recorder.frameList(socketId),
});
Object.defineProperty(globalThis, 'sockscope', { value: api, writable: false, enumerable: false, configurable: true });

function takeOptions(): InstallOptions {
  const holder = globalThis as { sockscopeOptions?: unknown };
  const options = holder.sockscopeOptions;
  delete holder.sockscopeOptions;
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null) throw new TypeError('sockscopeOptions must be an object, e.g. { provideWebSocketStream: true }');
  const { provideWebSocketStream, ...unknown } = options as InstallOptions;
  const names = Object.keys(unknown);
  if (names.length > 0) throw new TypeError(`sockscopeOptions: unknown option ${names.join(', ')} (known: provideWebSocketStream)`);
  return { provideWebSocketStream: provideWebSocketStream === true };
}
