// A message Sockscope sends or delivers for the user (from the panel or a
// test): text, or bytes copied at once into a buffer nobody else holds, so
// the caller may reuse its own. Bounded: it is held in the page until it goes.
import { utf8Length } from '../realm/encoding';
import { OWN_MESSAGE_BYTES, type OwnData } from '../wire/messages';
import { uncurry } from '../realm/uncurry';
import { atob, bytesOf, copyPrefix, isArrayBuffer, isView, lengthOf, NativeRangeError, NativeTypeError, NativeUint8Array, toWellFormed, viewBuffer } from '../realm/natives';

export type OwnMessage = string | ArrayBuffer;


/**
 * `data` as Sockscope sends it: text as a USVString (a lone surrogate becomes
 * U+FFFD, as the browser sends it and as no server can send otherwise), or a
 * copy of the bytes of an ArrayBuffer or view.
 */
export function readOwnMessage(data: unknown, context: string): OwnMessage {
  if (typeof data === 'string') {
    checkSize(utf8Length(data), context);
    return toWellFormed(data);
  }
  if (isArrayBuffer(data) || isView(data)) {
    const bytes = bytesOf(data);
    const size = lengthOf(bytes);
    checkSize(size, context);
    return viewBuffer(copyPrefix(bytes, size)) as ArrayBuffer;
  }
  throw new NativeTypeError(`${context}: a message is a string, an ArrayBuffer or an ArrayBufferView`);
}

function checkSize(size: number, context: string): void {
  if (size > OWN_MESSAGE_BYTES) throw new NativeRangeError(`${context}: the message is ${size} bytes, over the limit of ${OWN_MESSAGE_BYTES}`);
}

// Saved before any page script runs, as the realm's natives are.
const charCodeAt = uncurry(String.prototype.charCodeAt);

/** Data as the panel or a rules file carries it (text, or base64 that was checked), or bytes: text, or the bytes. */
export function fromOwnData(data: OwnData | Uint8Array): string | Uint8Array {
  if (typeof data === 'string' || isView(data)) return data as string | Uint8Array;
  const binary = atob((data as { base64: string }).base64);
  const bytes = new NativeUint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = charCodeAt(binary, i);
  return bytes;
}
