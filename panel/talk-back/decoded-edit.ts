// A binary message of a socket whose subprotocol has a decoder (MessagePack,
// CBOR) edited in its decoded form: shown as JSON, and encoded again with the
// same library when it is sent. Only values JSON holds as they are (no bytes,
// dates or extension types) are offered decoded; the rest stay hex.
import { decode as decodeMessagePack, encode as encodeMessagePack } from '@msgpack/msgpack';
import { decode as decodeCbor, encode as encodeCbor } from 'cborg';
import type { SocketInfo } from '../../shim/wire/records';
import { detectProtocol } from '../decoders/decoders';

export type DecodedCodec = 'msgpack' | 'cbor';

const CODECS: Record<DecodedCodec, { decode(bytes: Uint8Array): unknown; encode(value: unknown): Uint8Array }> = {
  msgpack: { decode: (bytes) => decodeMessagePack(bytes), encode: (value) => encodeMessagePack(value) },
  cbor: { decode: (bytes) => decodeCbor(bytes), encode: (value) => encodeCbor(value) },
};

export const isCodec = (format: string): format is DecodedCodec => format in CODECS;

/** The codec the socket's subprotocol (or URL) names, or null. */
export function codecOf(info: Pick<SocketInfo, 'url' | 'protocol' | 'protocols'>): DecodedCodec | null {
  const protocol = detectProtocol(info, []);
  return protocol !== null && isCodec(protocol) ? protocol : null;
}

/** Whether `value` is JSON data that JSON text holds as it is. */
function isJsonData(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJsonData);
  if (typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value);
  return (prototype === Object.prototype || prototype === null) && Object.values(value).every(isJsonData);
}

/** The bytes decoded, as JSON laid out two spaces a level; null when they do not decode, or hold what JSON cannot. */
export function decodedJson(codec: DecodedCodec, bytes: Uint8Array): string | null {
  let value: unknown;
  try {
    value = CODECS[codec].decode(bytes);
  } catch {
    return null;
  }
  return isJsonData(value) ? JSON.stringify(value, null, 2) : null;
}

/** JSON text encoded with the codec's library, or what is wrong. */
export function encodeDecoded(codec: DecodedCodec, text: string): Uint8Array | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `Not JSON: ${(error as Error).message}`;
  }
  return CODECS[codec].encode(value);
}
