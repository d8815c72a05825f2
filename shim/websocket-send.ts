// WebSocket.send()'s argument as WebIDL converts it, for the instrumented
// native send and for sockets carried over a WebSocketStream.
import { isArrayBuffer, isBlob, isResizable, isSharedArrayBuffer, isView, NativeTypeError, viewBuffer } from './natives';
import { idlString } from './webidl';

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

/** For a socket with no native send to defer to: the argument converted, or refused as Chromium 156 words it. */
export function convertSendData(data: unknown): unknown {
  if (isSharedArrayBuffer(data)) throw new NativeTypeError(`${SEND}: parameter 1 is not of type 'ArrayBuffer'.`);
  if (isArrayBuffer(data)) {
    if (isResizable(data)) throw new NativeTypeError(`${SEND}: The provided ArrayBuffer value must not be resizable.`);
    return data;
  }
  if (isView(data)) {
    const buffer = viewBuffer(data);
    if (isSharedArrayBuffer(buffer)) throw new NativeTypeError(`${SEND}: The provided ArrayBufferView value must not be shared.`);
    if (isResizable(buffer)) throw new NativeTypeError(`${SEND}: The provided ArrayBufferView value must not be resizable.`);
    return data;
  }
  return isBlob(data) ? data : idlString(data, SEND);
}
