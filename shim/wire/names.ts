// The names the extension's parts meet by: runtime ports, and the events the
// page world hears at document_start (each stopped by the shim, which runs first).

export const PORT_CONTENT = 'sockscope-content';
export const PORT_PANEL = 'sockscope-panel';
/** Event type the bridge dispatches on the page's window to hand the shim its private port. */
export const HELLO_EVENT = 'sockscope-hello';
/**
 * The message that hands on a new realm's private port (the port its shim
 * serves the panel through), sent with that one port: by a worker's shim to
 * whoever created the worker, before any of the worker's own code runs, and
 * by every shim onward to the bridge.
 */
export const REALM_PORT = 'sockscope-realm';
/**
 * Event type a script the background registers for every page, while some
 * tab has shaping rules, dispatches on the page's window at document_start:
 * the shim then holds sockets opened before its tab's rules arrive.
 */
export const AWAIT_RULES_EVENT = 'sockscope-await-rules';
/**
 * Options the user turns on per origin in the panel, each applying from a
 * page's next load. The background registers the option's MAIN-world script
 * for those origins; it dispatches the option's event on the page's window at
 * document_start, and the shim, which runs first, stops it (a cancelled
 * dispatch tells the script it was heard) and applies the option.
 */
export const ORIGIN_OPTIONS = {
  /** Supply WebSocketStream, which the browser lacks (Firefox), built on WebSocket. */
  provideWebSocketStream: { event: 'sockscope-provide-websocket-stream', script: 'provide-websocket-stream' },
  /** Carry classic WebSockets over the native WebSocketStream (Chromium): a slow consumer backpressures the server. */
  webSocketOverStream: { event: 'sockscope-websocket-over-stream', script: 'websocket-over-stream' },
} as const;

export type OriginOption = keyof typeof ORIGIN_OPTIONS;
/**
 * The origin setting the background carries out itself, with no page script:
 * run the engine in the workers of pages of those origins, from their next
 * load (see extension/background/worker-capture.ts).
 */
export const CAPTURE_WORKERS = 'captureWorkers';

/** Every per-origin setting a panel switch changes. */
export type OriginSetting = OriginOption | typeof CAPTURE_WORKERS;

export const isOriginSetting = (x: unknown): x is OriginSetting =>
  x === CAPTURE_WORKERS || (typeof x === 'string' && Object.hasOwn(ORIGIN_OPTIONS, x));

/**
 * The registered symbol under which an installed engine leaves its one trace
 * in a realm (see shim/realm/mask.ts); in a Chromium service worker its value
 * is the hook the background calls through the debugger.
 */
export const ENGINE_MARK_KEY = 'sockscope.engine';
/**
 * Chromium: the debugger binding (Runtime.addBinding) a service worker's
 * engine takes and deletes as it installs, and calls to reach the background.
 */
export const SERVICE_WORKER_BINDING = 'sockscopeServiceWorker';
/**
 * Firefox: the global a service worker's script sets first, to the secret
 * name of the BroadcastChannel between its engine and the bridges of its
 * origin; the engine takes and deletes it as it installs.
 */
export const SERVICE_WORKER_CHANNEL = 'sockscopeServiceWorkerChannel';
/** Firefox: where extension storage keeps that name (made once, so that the rewritten script stays the same bytes). */
export const SERVICE_WORKER_CHANNEL_KEY = 'serviceWorkerChannel';
