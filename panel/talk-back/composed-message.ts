// What the user typed in the composer, read in its format and checked before
// anything is sent: text as it is, JSON that parses, bytes as hex or base64.
// Also the other way: a logged message put back in the composer to edit,
// decoded where the socket's subprotocol has a decoder (decoded-edit.ts).
import { OWN_MESSAGE_BYTES, type OwnData } from '../../shim/wire/messages';
import type { LoggedMessage } from '../model/message-log';
import { base64Bytes } from '../detail/hex-dump';
import { decodedJson, encodeDecoded, isCodec, type DecodedCodec } from './decoded-edit';

/** Formats every message can be written in. */
export type RawFormat = 'text' | 'json' | 'hex' | 'base64';
/** A raw format, or JSON encoded with a subprotocol's codec. */
export type ComposeFormat = RawFormat | DecodedCodec;

export const RAW_FORMATS: readonly RawFormat[] = ['text', 'json', 'hex', 'base64'];

export const FORMAT_LABELS: Record<ComposeFormat, string> = { text: 'Text', json: 'JSON', hex: 'Hex', base64: 'Base64', msgpack: 'MessagePack (as JSON)', cbor: 'CBOR (as JSON)' };

/** The data to send and its size in bytes, or why it cannot be sent. */
export type Composed = { data: OwnData; size: number } | { error: string };

const utf8 = new TextEncoder();
const overBound = (size: number) => `${size} bytes is over the limit of ${OWN_MESSAGE_BYTES} bytes`;

export function readComposed(text: string, format: ComposeFormat): Composed {
  if (format === 'text' || format === 'json') {
    if (format === 'json') {
      try {
        JSON.parse(text);
      } catch (error) {
        return { error: `Not JSON: ${(error as Error).message}` };
      }
    }
    // UTF-16 units bound the UTF-8 size from below: a text over the bound in units is over it in bytes.
    const size = text.length > OWN_MESSAGE_BYTES ? text.length : utf8.encode(text).length;
    return size > OWN_MESSAGE_BYTES ? { error: overBound(size) } : { data: text, size };
  }
  const bytes = format === 'hex' ? hexBytes(text) : format === 'base64' ? base64Of(text) : encodeDecoded(format, text);
  if (typeof bytes === 'string') return { error: bytes };
  if (bytes.length > OWN_MESSAGE_BYTES) return { error: overBound(bytes.length) };
  return { data: { base64: toBase64(bytes) }, size: bytes.length };
}

/** Hex digits in pairs; spaces, line breaks and colons between bytes allowed. A string says what is wrong. */
function hexBytes(text: string): Uint8Array | string {
  const digits = text.replace(/[\s:]+/g, '');
  const bad = /[^0-9a-fA-F]/.exec(digits);
  if (bad) return `Not hex: "${bad[0]}" at digit ${bad.index + 1}`;
  if (digits.length % 2 !== 0) return `Hex needs two digits a byte: ${digits.length} digits`;
  const bytes = new Uint8Array(digits.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(digits.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

/** Base64 (standard alphabet, padding optional, white space ignored). A string says what is wrong. */
function base64Of(text: string): Uint8Array | string {
  const compact = text.replace(/\s+/g, '');
  const bad = /[^A-Za-z0-9+/=]/.exec(compact);
  if (bad) return `Not base64: "${bad[0]}" at character ${bad.index + 1}`;
  const unpadded = compact.replace(/={1,2}$/, '');
  if (unpadded.includes('=') || unpadded.length % 4 === 1) return 'Not base64: its length or padding is wrong';
  return base64Bytes(unpadded.padEnd(Math.ceil(unpadded.length / 4) * 4, '=')) ?? 'Not base64';
}

// Large enough to amortise the call, small enough for fromCharCode's argument limit.
const CHUNK = 0x6000;

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += CHUNK) binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(binary);
}

/** Bytes as hex, 16 to a line: what the composer shows a binary message as. */
export function toHex(bytes: Uint8Array): string {
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += 16) lines.push(Array.from(bytes.subarray(i, i + 16), (b) => b.toString(16).padStart(2, '0')).join(' '));
  return lines.join('\n');
}

/** JSON laid out two spaces a level, or null when the text is not JSON. */
export function prettyJson(text: string): string | null {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return null;
  }
}

/**
 * A logged (or held) message in the composer's terms: text, JSON when it
 * parses, binary decoded with its socket's `codec` when it decodes to JSON
 * data, else as hex. Only whole messages (not truncated).
 */
export function editableForm(message: Pick<LoggedMessage, 'type' | 'data'>, codec: DecodedCodec | null = null): { text: string; format: ComposeFormat } {
  if (message.type === 'text') return { text: message.data, format: prettyJson(message.data) === null ? 'text' : 'json' };
  const bytes = base64Bytes(message.data) ?? new Uint8Array();
  const decoded = codec === null ? null : decodedJson(codec, bytes);
  return decoded === null ? { text: toHex(bytes), format: 'hex' } : { text: decoded, format: codec! };
}

/** The formats the composer offers for a socket: the raw ones, its codec's, and `current` (a draft's). */
export const formatsFor = (codec: DecodedCodec | null, current: ComposeFormat): ComposeFormat[] =>
  [...RAW_FORMATS, ...(codec !== null ? [codec] : []), ...(isCodec(current) && current !== codec ? [current] : [])];

/** The formats offered for a socket with `codec`, and their labels. */
export const formatChoices = (codec: DecodedCodec | null, current: ComposeFormat): Partial<Record<ComposeFormat, string>> =>
  Object.fromEntries(formatsFor(codec, current).map((id) => [id, FORMAT_LABELS[id]]));

/** A logged, whole message as it crosses again. */
export const dataOf = (message: LoggedMessage): OwnData => (message.type === 'text' ? message.data : { base64: message.data });
