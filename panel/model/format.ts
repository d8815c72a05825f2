// How values read in the panel. Everything here turns page-controlled data
// into bounded, single-line text; rendering it stays JSX text, never HTML.
import type { MessageRecord, SocketInfo, WorkerKind } from '../../shim/wire/records';

/** Characters of a text payload shown in its row. */
export const PREVIEW_CHARS = 200;
/** Bytes of a binary payload shown in its row, as hex. */
const PREVIEW_BYTES = 32;

const BYTE_UNITS = ['KiB', 'MiB', 'GiB', 'TiB'];

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${BYTE_UNITS[unit]}`;
}

const counts = new Intl.NumberFormat();

export const formatCount = (n: number): string => counts.format(n);

/** `1 socket`, `2 sockets`. */
export const countOf = (n: number, noun: string): string => `${formatCount(n)} ${noun}${n === 1 ? '' : 's'}`;

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** A span of time for people: `850 ms`, `12.3 s`, `4 min 5 s`, `2 h 3 min`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.floor(ms / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
}

/** Local wall-clock time, HH:MM:SS.mmm. */
export function formatTime(epochMs: number): string {
  const d = new Date(epochMs);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

// Line breaks and other controls would break the one-line layout; bidi
// overrides would let a payload reorder the text around it.
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g;

/** The first `max` characters of `text` on one line, with … when there is more. */
export function oneLine(text: string, max: number, more = false): string {
  let end = Math.min(text.length, max);
  // Do not cut a surrogate pair in half.
  if (end < text.length && (text.charCodeAt(end - 1) & 0xfc00) === 0xd800) end--;
  const line = text.slice(0, end).replace(UNPRINTABLE, ' ');
  return more || end < text.length ? `${line}…` : line;
}

/**
 * Hex of the first PREVIEW_BYTES bytes of a base64 payload, with … when the
 * payload is longer; null if `base64` does not decode.
 */
export function hexPreview(base64: string, size: number): string | null {
  // Every 4 base64 characters hold 3 bytes; a prefix of whole groups decodes on its own.
  let bytes: string;
  try {
    bytes = atob(base64.slice(0, Math.ceil(PREVIEW_BYTES / 3) * 4));
  } catch {
    return null;
  }
  const shown = Math.min(bytes.length, PREVIEW_BYTES);
  const hex: string[] = [];
  for (let i = 0; i < shown; i++) hex.push(bytes.charCodeAt(i).toString(16).padStart(2, '0'));
  return shown < size ? `${hex.join(' ')} …` : hex.join(' ');
}

export interface Preview {
  text: string;
  /** `note` is the panel's own words (an empty payload, say), not payload data. */
  kind: 'text' | 'hex' | 'note';
}

/** What a message's row shows as its payload. */
export function messagePreview(message: Pick<MessageRecord, 'size' | 'type' | 'data' | 'truncated'>): Preview {
  if (message.size === 0) return { text: 'empty', kind: 'note' };
  if (message.type === 'text') return { text: oneLine(message.data, PREVIEW_CHARS, message.truncated), kind: 'text' };
  const hex = hexPreview(message.data, message.size);
  return hex === null ? { text: 'binary payload that does not decode', kind: 'note' } : { text: hex, kind: 'hex' };
}

export const STATE_NAMES = ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED'] as const;

/** What the panel calls each kind of worker a socket can open in. */
export const WORKER_NAMES: Record<WorkerKind, string> = { dedicated: 'dedicated worker', shared: 'shared worker', service: 'service worker' };

/** Close code and reason, e.g. `1000 "bye"`; empty until the socket closed. */
export function closeDetail(info: SocketInfo): string {
  if (info.readyState !== 3 || info.closeCode === null) return '';
  return info.closeReason ? `${info.closeCode} "${oneLine(info.closeReason, 120)}"` : String(info.closeCode);
}
