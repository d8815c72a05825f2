// The names the extension's parts meet by: runtime ports, and the events the
// page world hears at document_start (each stopped by the shim, which runs first).

export const PORT_CONTENT = 'sockscope-content';
export const PORT_PANEL = 'sockscope-panel';
/** Event type the bridge dispatches on the page's window to hand the shim its private port. */
export const HELLO_EVENT = 'sockscope-hello';
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
