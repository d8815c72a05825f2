// Every message of the inspected tab, up to a million, in columns: a ring of
// typed arrays for the numbers and two arrays of strings (a short preview,
// kept for every message, and the full payload, kept within a byte budget).
// A million MessageRecord objects would cost several hundred bytes each and stall
// the panel in garbage collection; here a message costs its numbers (30 bytes),
// its preview and, while the budget lasts, its payload.
//
// Messages are numbered in arrival order from 0 (`index`); an index stays the
// same message until it is evicted, so views (a socket's messages, a filter's
// matches) can hold indices, and drop those below `first` as the log moves on.
import type { MessageRecord, WireMessage } from '../../shim/wire/records';
import type { MessageColumns } from '../search/message-filter';
import { MARK_ORDER } from './marks';

export interface MessageLogLimits {
  /** Messages held; past it the oldest go. */
  messages: number;
  /** Bytes of full payloads held (UTF-16, 2 per character); past it the oldest messages keep only their preview. */
  payloadBytes: number;
  /** Characters of every message's preview, which is kept as long as the message. */
  previewChars: number;
}

export const MESSAGE_LOG_LIMITS: MessageLogLimits = { messages: 1_000_000, payloadBytes: 256 * 1024 * 1024, previewChars: 200 };

export const SEND = 1;
export const BINARY = 2;
/** The shim sent only a prefix of the payload. */
const TRUNCATED = 4;
/** The data is longer than the preview. */
export const LONG = 8;
/** The flags' upper four bits hold the message's mark: its place in MARK_ORDER plus one, 0 for none. */
const MARK_SHIFT = 4;
if (MARK_ORDER.length > 15) throw new Error('more marks than the flags hold');

/** One message as the log gives it back. */
export interface LoggedMessage extends Omit<MessageRecord, 'socketId'> {
  index: number;
  /** The socket's number, as given to `push`. */
  socket: number;
  /** `data` is only the preview: the full payload was evicted to stay within the budget. */
  previewOnly: boolean;
}

/** Its columns are read in place by filters (MessageColumns), which must not pay a call per field. */
export class MessageLog implements MessageColumns {
  readonly capacity: number;
  private readonly seq: Float64Array;
  private readonly time: Float64Array;
  private readonly size: Float64Array;
  readonly socket: Uint32Array;
  readonly flags: Uint8Array;
  readonly preview: string[];
  private readonly payload: (string | null)[];
  /** Index of the oldest message held, and one past the newest. */
  private start = 0;
  private end = 0;
  /** Oldest message that may still hold its payload. */
  private payloadStart = 0;
  private payloadBytesHeld = 0;
  /** Messages evicted since the last clear. */
  evictedMessages = 0;
  /** Messages held whose payload was let go: only their preview is left. */
  previewOnly = 0;

  constructor(readonly limits: MessageLogLimits = MESSAGE_LOG_LIMITS) {
    const n = (this.capacity = limits.messages);
    this.seq = new Float64Array(n);
    this.time = new Float64Array(n);
    this.size = new Float64Array(n);
    this.socket = new Uint32Array(n);
    this.flags = new Uint8Array(n);
    this.preview = new Array<string>(n).fill('');
    this.payload = new Array<string | null>(n).fill(null);
  }

  /** Index of the oldest message held. */
  get first(): number {
    return this.start;
  }

  /** One past the index of the newest message. */
  get next(): number {
    return this.end;
  }

  get length(): number {
    return this.end - this.start;
  }

  get payloadBytes(): number {
    return this.payloadBytesHeld;
  }

  get payloadFrom(): number {
    return this.payloadStart;
  }

  /** Appends a message of socket number `socket`; returns its index. */
  push([seq, , direction, type, size, data, truncated, time, mark]: WireMessage, socket: number): number {
    if (this.length === this.capacity) this.evictOldest();
    const index = this.end++;
    const slot = index % this.capacity;
    this.seq[slot] = seq;
    this.time[slot] = time;
    this.size[slot] = size;
    this.socket[slot] = socket;
    const long = data.length > this.limits.previewChars;
    this.flags[slot] = (direction === 'send' ? SEND : 0) | (type === 'binary' ? BINARY : 0) | (truncated ? TRUNCATED : 0) | (long ? LONG : 0) | ((mark === undefined ? 0 : MARK_ORDER.indexOf(mark) + 1) << MARK_SHIFT);
    this.preview[slot] = long ? data.slice(0, this.limits.previewChars) : data;
    this.payload[slot] = null;
    if (long) {
      // Kept even past the budget for a moment: the oldest payloads go first, this one last.
      this.payload[slot] = data;
      this.payloadBytesHeld += 2 * data.length;
      this.trimPayloads();
    }
    return index;
  }

  has(index: number): boolean {
    return index >= this.start && index < this.end;
  }

  socketOf(index: number): number {
    return this.socket[this.slotOf(index)];
  }

  /** The message as it arrived, its data in full while the payload budget keeps it. */
  get(index: number): LoggedMessage {
    const slot = this.slotOf(index);
    const flags = this.flags[slot];
    const full = this.payload[slot];
    const previewOnly = (flags & LONG) !== 0 && full === null;
    const mark = MARK_ORDER[(flags >> MARK_SHIFT) - 1];
    return {
      index,
      socket: this.socket[slot],
      seq: this.seq[slot],
      direction: flags & SEND ? 'send' : 'receive',
      type: flags & BINARY ? 'binary' : 'text',
      size: this.size[slot],
      data: full ?? this.preview[slot],
      truncated: (flags & TRUNCATED) !== 0 || previewOnly,
      time: this.time[slot],
      previewOnly,
      ...(mark && { mark }),
    };
  }

  clear(): void {
    this.start = this.end;
    this.payloadStart = this.end;
    this.payload.fill(null);
    this.preview.fill('');
    this.payloadBytesHeld = 0;
    this.evictedMessages = 0;
    this.previewOnly = 0;
  }

  /** Where a held message is in the columns. */
  slotOf(index: number): number {
    if (!this.has(index)) throw new RangeError(`message ${index} is not held (held: ${this.start}–${this.end - 1})`);
    return index % this.capacity;
  }

  private evictOldest(): void {
    const slot = this.start % this.capacity;
    if (this.flags[slot] & LONG && this.payload[slot] === null) this.previewOnly--;
    this.dropPayload(slot);
    this.preview[slot] = '';
    this.start++;
    if (this.payloadStart < this.start) this.payloadStart = this.start;
    this.evictedMessages++;
  }

  /** Drops the oldest payloads until the held ones fit the budget. */
  private trimPayloads(): void {
    while (this.payloadBytesHeld > this.limits.payloadBytes && this.payloadStart < this.end) {
      const slot = this.payloadStart % this.capacity;
      if (this.payload[slot] !== null) {
        this.dropPayload(slot);
        this.previewOnly++;
      }
      this.payloadStart++;
    }
  }

  private dropPayload(slot: number): void {
    const payload = this.payload[slot];
    if (payload === null) return;
    this.payloadBytesHeld -= 2 * payload.length;
    this.payload[slot] = null;
  }
}
