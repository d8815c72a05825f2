// WebSocket.send()'s argument as WebIDL converts it, for the instrumented
// native send and for sockets carried over a WebSocketStream.
import { getOwnPropertyDescriptor, getPrototypeOf, isArrayBuffer, isBlob, isSharedArrayBuffer, isView } from './natives';

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

const CONVERSION_KEYS: readonly PropertyKey[] = [Symbol.toPrimitive, 'toString', 'valueOf'];

/** Nothing on the object's chain that converting it to a string would look at. */
export function hasNoConversionHooks(value: object): boolean {
  for (let o: object | null = value; o !== null; o = getPrototypeOf(o)) {
    for (let i = 0; i < CONVERSION_KEYS.length; i++) if (getOwnPropertyDescriptor(o, CONVERSION_KEYS[i])) return false;
  }
  return true;
}

/** For a socket with no native send to defer to: the argument converted, or refused as Chromium words it. */
export function convertSendData(data: unknown): unknown {
  return sendable(data);
}
