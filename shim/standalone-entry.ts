// dist/shim.js: the standalone build for test automation, e.g. Playwright's
// `page.addInitScript({ path: 'dist/shim.js' })`. Exposes one global, `sockscope`.
// Options come from a `sockscopeOptions` global set before it runs, which it
// reads and deletes: `{ provideWebSocketStream: true }` (see Options below).
import { install } from './install';
import { PROTOCOL_VERSION, type Frame, type SocketInfo } from './protocol';

export interface SockscopeApi {
  readonly version: number;
  /** Every socket the page opened, in creation order. */
  sockets(): SocketInfo[];
  /** Retained frames, of one socket or all, oldest first; binary data is base64. */
  frames(socketId?: number): Frame[];
}

const options = takeOptions();
const { recorder, provideWebSocketStream } = install(globalThis);
if (options.provideWebSocketStream) provideWebSocketStream();
const api: SockscopeApi = Object.freeze({
  version: PROTOCOL_VERSION,
  sockets: () => recorder.socketList(),
  frames: (socketId?: number) => recorder.frameList(socketId),
});
Object.defineProperty(globalThis, 'sockscope', { value: api, writable: false, enumerable: false, configurable: true });

interface Options {
  /** Where the browser has no WebSocketStream (Firefox), supply one built on WebSocket. */
  provideWebSocketStream: boolean;
}

function takeOptions(): Options {
  const holder = globalThis as { sockscopeOptions?: unknown };
  const options = holder.sockscopeOptions;
  delete holder.sockscopeOptions;
  if (options === undefined) return { provideWebSocketStream: false };
  if (typeof options !== 'object' || options === null) throw new TypeError('sockscopeOptions must be an object, e.g. { provideWebSocketStream: true }');
  const { provideWebSocketStream, ...rest } = options as Partial<Options>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) throw new TypeError(`sockscopeOptions: unknown option ${unknown.join(', ')} (known: provideWebSocketStream)`);
  if (provideWebSocketStream !== undefined && typeof provideWebSocketStream !== 'boolean') {
    throw new TypeError('sockscopeOptions.provideWebSocketStream must be true or false');
  }
  return { provideWebSocketStream: provideWebSocketStream === true };
}
