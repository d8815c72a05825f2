// The WebSocketStream dictionaries, as the WebSockets Standard names them.

/** What `opened` resolves with. */
export interface WebSocketOpenInfo {
  extensions: string;
  protocol: string;
  readable: ReadableStream;
  writable: WritableStream;
}

/** What `closed` resolves with. */
export interface WebSocketCloseInfo {
  closeCode: number;
  reason: string;
}
