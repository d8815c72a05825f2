// WebSocket.send()'s argument as WebIDL converts it, for the instrumented
// native send and for sockets carried over a WebSocketStream.
import { isArrayBuffer, isBlob, isResizable, isSharedArrayBuffer, isView, NativeTypeError, viewBuffer } from '../../realm/natives';
import { idlString } from '../../realm/webidl';

const SEND = "Failed to execute 'send' on 'WebSocket'";

/**
 * `send`'s argument converted once, as WebIDL would, so a page's toString runs
 * exactly once. A Symbol and a SharedArrayBuffer stay as they are: the native
 * method refuses them with no page code run, worded as native.
 */
export function sendable(data: unknown): unknown {
  return typeof data === 'string' ||
    typeof data === 'symbol' ||
    isArrayBuffer(data) ||
    isView(data) ||
    isBlob(data) ||
    isSharedArrayBuffer(data)
    ? data
    : `${data as string}`;
}

/** Why Chromium 156's send() refuses a buffer (the words of its TypeError), or null for data it takes. */
function refusedBuffer(data: unknown): string | null {
  if (isSharedArrayBuffer(data)) return "parameter 1 is not of type 'ArrayBuffer'.";
  if (isArrayBuffer(data)) return isResizable(data) ? 'The provided ArrayBuffer value must not be resizable.' : null;
  if (!isView(data)) return null;
  const buffer = viewBuffer(data);
  if (isSharedArrayBuffer(buffer)) return 'The provided ArrayBufferView value must not be shared.';
  return isResizable(buffer) ? 'The provided ArrayBufferView value must not be resizable.' : null;
}

/**
 * A converted argument (see `sendable`) that the native send() throws for, in
 * every browser (WebIDL: no ToString of a Symbol, no shared or resizable
 * BufferSource): it must reach the native method, not wait in a shaped link.
 */
export const nativeRefuses = (value: unknown): boolean => typeof value === 'symbol' || refusedBuffer(value) !== null;

/** For a socket with no native send to defer to: the argument converted, or refused as Chromium 156 words it. */
export function convertSendData(data: unknown): unknown {
  const refused = refusedBuffer(data);
  if (refused !== null) throw new NativeTypeError(`${SEND}: ${refused}`);
  return isArrayBuffer(data) || isView(data) || isBlob(data) ? data : idlString(data, SEND);
}
