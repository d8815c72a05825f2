// The checks every validator of the wire is built from. Each runs on data a
// page may have forged, so each is total: any input, a boolean out (or the
// checked value, or null).
import { OWN_MESSAGE_BYTES, type OwnData } from './messages';

export type Fields = Record<string, unknown>;

export const isObject = (x: unknown): x is Fields => typeof x === 'object' && x !== null;
export const isCount = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) >= 0;
export const isTime = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
export const isBoundedString = (x: unknown, max: number): x is string => typeof x === 'string' && x.length <= max;
export const isOneOf = <T extends string | number>(x: unknown, values: readonly T[]): x is T => values.includes(x as T);

/** A shim instance's name: one document's shim. */
const INSTANCE = /^[a-z0-9]{1,32}$/;
export const isInstance = (x: unknown): x is string => typeof x === 'string' && INSTANCE.test(x);

/** A shim's farewell event type (see ShimEvents.hello): never one a page or browser event has. */
const FAREWELL = /^sockscope-farewell-[a-z0-9]{1,32}$/;
export const isFarewell = (x: unknown): x is string => typeof x === 'string' && FAREWELL.test(x);

/** Base64 of at most OWN_MESSAGE_BYTES bytes. */
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const BASE64_CHARS = Math.ceil(OWN_MESSAGE_BYTES / 3) * 4;

/** Text within the bound (UTF-16 units: a unit is at most 3 UTF-8 bytes; the shim checks bytes), or bounded base64; null otherwise. */
export function readOwnData(data: unknown): OwnData | null {
  if (isBoundedString(data, OWN_MESSAGE_BYTES)) return data;
  if (isObject(data) && isBoundedString(data.base64, BASE64_CHARS) && data.base64.length % 4 === 0 && BASE64.test(data.base64)) return { base64: data.base64 };
  return null;
}
