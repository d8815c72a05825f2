// Payload measurement and encoding. Pure functions over saved built-ins, shared
// by the shim (history, batches) and unit tests.
import { btoa, bytesOf, isArrayBuffer, isBlob, isView, lengthOf, sizeOfBlob, stringSlice, viewOf } from './natives';
import { uncurry } from './uncurry';

const fromCharCode = String.fromCharCode;
const charCodeAt = uncurry(String.prototype.charCodeAt);
const apply = Reflect.apply;
const encodeInto = uncurry(TextEncoder.prototype.encodeInto);
const encoder = new TextEncoder();
/** Strings up to this many UTF-16 units are measured by encoding into a reused buffer (3 bytes per unit at most). */
const SCRATCH_UNITS = 64 * 1024;
const scratch = new Uint8Array(3 * SCRATCH_UNITS);

/** Bytes `text` takes as UTF-8 once sent as a USVString: a lone surrogate becomes U+FFFD, 3 bytes. */
export function utf8Length(text: string): number {
  const n = text.length;
  // Hot path: native encoding is many times faster than a charCodeAt loop,
  // and it too turns a lone surrogate into U+FFFD. Longer text is encoded slice by slice; no slice ends
  // between the two halves of a pair.
  if (n <= SCRATCH_UNITS) return encodeInto(encoder, text, scratch).written;
  let bytes = 0;
  for (let start = 0; start < n; ) {
    let end = n - start > SCRATCH_UNITS ? start + SCRATCH_UNITS : n;
    if (end < n && (charCodeAt(text, end - 1) & 0xfc00) === 0xd800) end--;
    bytes += encodeInto(encoder, stringSlice(text, start, end), scratch).written;
    start = end;
  }
  return bytes;
}

// Large enough to amortise the call, small enough for fromCharCode's argument limit.
const CHUNK = 0x6000;

const nativeToBase64 = (Uint8Array.prototype as { toBase64?: (this: Uint8Array) => string }).toBase64;
/** Uint8Array#toBase64 where the browser has it (Chromium 140, Firefox 133): faster, and no page-patchable `length` read. */
const uint8ToBase64 = nativeToBase64 && uncurry(nativeToBase64);

export function toBase64(bytes: Uint8Array): string {
  if (uint8ToBase64) return uint8ToBase64(bytes);
  let binary = '';
  for (let i = 0, n = lengthOf(bytes); i < n; i += CHUNK) {
    binary += apply(fromCharCode, null, viewOf(bytes, i, i + CHUNK < n ? i + CHUNK : n) as unknown as number[]);
  }
  return btoa(binary);
}

/** Payload bytes of what a page sends or receives: text as UTF-8, a Blob, an ArrayBuffer or a view. */
export function payloadSize(data: unknown): number {
  if (typeof data === 'string') return utf8Length(data);
  if (isBlob(data)) return sizeOfBlob(data);
  if (isView(data) || isArrayBuffer(data)) return lengthOf(bytesOf(data));
  return 0;
}
