// What the shim knows about the page's sockets: one SocketInfo per socket and a
// bounded history of messages. With no subscriber (no panel open) recording is
// all it does; with one, it sends batches at most every FLUSH_MS, in seq order.
import { toBase64, utf8Length } from '../realm/encoding';
import { DEFAULT_LIMITS, History, type Entry, type HistoryLimits } from './history';
import { toJson } from '../realm/json';
import { RelayBudget } from './relay-budget';
import { SafeMap, SafeSet } from '../realm/safe-collections';
import {
  bytesOf,
  copyPrefix,
  isBlob,
  isWellFormed,
  lengthOf,
  NativeUint8Array,
  now,
  promiseThen,
  readBlob,
  safely,
  setTimeout,
  sizeOfBlob,
  stringSlice,
  toWellFormed,
  viewOf,
} from '../realm/natives';
import { envelope, type ShimEvent, type ShimEvents } from '../wire/messages';
import { BATCH_OVERHEAD, fromWireMessage, LIMITS, writeBatch, type Direction, type MessageMark, type MessageRecord, type SocketInfo, type WireMessage, type WireSample } from '../wire/records';
import { Deque } from '../realm/deque';

const FLUSH_MS = 25;
/**
 * Live messages cross in full up to this many characters a second (a burst of
 * one largest message); beyond it they cross cut to PREVIEW_CHARS, marked
 * truncated. Replays after a subscribe always cross in full.
 */
const FULL_RELAY_PER_SECOND = 2 * 1024 * 1024;
/** Enough for the panel's one-line previews. */
const PREVIEW_CHARS = 256;
/** Socket records kept per page; past it the oldest closed socket is forgotten with its messages. */
const MAX_SOCKETS = 2_000;
/** Batches sent at most as the document goes, so leaving stays quick: one is the rule (a batch leaves early once 500 messages wait). */
const MAX_FINAL_BATCHES = 64;

export type NewSocket = Pick<SocketInfo, 'kind' | 'url' | 'protocols' | 'frameUrl' | 'worker'> & { provided?: boolean; overStream?: boolean };

/** Binary payload bytes copied when they passed, and their full count. */
export interface CapturedBytes {
  copy: Uint8Array;
  size: number;
}

/** A name no one can guess. Called at install time, before page code runs, so plain built-ins are safe here. */
export const randomName = (): string =>
  Math.floor(Math.random() * 2 ** 52).toString(36) + Math.floor(Math.random() * 2 ** 52).toString(36);

export class Recorder {
  readonly instance = randomName();
  private readonly sockets = new SafeMap<number, SocketInfo>();
  private readonly history: History;
  private nextId = 1;
  private nextSeq = 1;
  private post: ((message: ShimEvent) => void) | null = null;
  /** Highest seq the subscriber has been sent (or already held). */
  private sentSeq = 0;
  private readonly dirty = new SafeSet<SocketInfo>();
  private readonly pendingSamples = new Deque<WireSample>();
  private flushPending = false;
  /** Answer a subscribe even with nothing to send, so the panel learns this document exists. */
  private announce = false;
  /** Messages up to this seq were recorded before the subscribe: a replay, sent in full. */
  private replayUntil = 0;
  private readonly fullRelay = new RelayBudget(FULL_RELAY_PER_SECOND, LIMITS.messageData, now);

  /** Messages and bytes recorded since the last batch: sent early, before the history could evict them. */
  private unsentMessages = 0;
  private unsentBytes = 0;
  private readonly eagerMessages: number;
  private readonly eagerBytes: number;

  /** Bytes (binary) or characters (text) of one payload kept; longer ones are kept cut. */
  private readonly maxPayload: number;

  /** `setTimer` runs the batch timer: the page's saved setTimeout, or a test's hand-run queue. */
  constructor(
    limits: HistoryLimits = DEFAULT_LIMITS,
    private readonly setTimer: (run: () => void, delay: number) => unknown = setTimeout,
  ) {
    this.history = new History(limits, (entry) => this.onEvict(entry));
    // Half the budget: one huge payload, kept cut, still leaves room for the messages around it.
    this.maxPayload = limits.bytes / 2;
    // A busy page delays the batch timer: at 30,000 messages a second, 1,000 messages are 33 ms.
    this.eagerMessages = limits.messagesPerSocket / 2;
    this.eagerBytes = limits.bytes / 2;
  }

  openSocket(init: NewSocket): SocketInfo {
    const protocols: string[] = [];
    for (let i = 0; i < init.protocols.length && i < LIMITS.protocols; i++) protocols[i] = clip(init.protocols[i]);
    const info: SocketInfo = {
      id: this.nextId++,
      kind: init.kind,
      provided: init.provided === true,
      overStream: init.overStream === true,
      shaped: false,
      url: clip(init.url),
      protocols,
      frameUrl: clip(init.frameUrl),
      worker: init.worker,
      readyState: 0,
      protocol: '',
      extensions: '',
      createdAt: now(),
      openedAt: null,
      closedAt: null,
      error: false,
      closeCode: null,
      closeReason: '',
      wasClean: null,
      sent: 0,
      received: 0,
      sentBytes: 0,
      receivedBytes: 0,
      dropped: 0,
      lastSeq: 0,
    };
    this.sockets.set(info.id, info);
    if (this.sockets.size > MAX_SOCKETS) this.forgetOldestClosed();
    this.changed(info);
    return info;
  }

  /** The handshake completed. */
  opened(info: SocketInfo, protocol: string, extensions: string): void {
    info.readyState = 1;
    info.protocol = protocol;
    info.extensions = extensions;
    info.openedAt = now();
    this.changed(info);
  }

  /** Whether a shaping rule applies to the socket now. */
  shaped(socketId: number, shaped: boolean): void {
    const info = this.sockets.get(socketId);
    if (!info || info.shaped === shaped) return;
    info.shaped = shaped;
    this.changed(info);
  }

  /** The connection failed (an `error` event, a rejected stream promise); `closed` follows. */
  failed(info: SocketInfo): void {
    info.readyState = 3;
    info.error = true;
    this.changed(info);
  }

  closed(info: SocketInfo, code: number | null, reason: string, wasClean: boolean): void {
    info.readyState = 3;
    info.closedAt = now();
    info.closeCode = code;
    info.closeReason = reason;
    info.wasClean = wasClean;
    this.changed(info);
  }

  /** Call after mutating a SocketInfo's other fields. */
  changed(info: SocketInfo): void {
    if (!this.post) return;
    this.dirty.add(info);
    this.schedule(FLUSH_MS);
  }

  /** Text longer than a history holds is kept cut, as binary is: a panel gets its start, not nothing. */
  text(info: SocketInfo, direction: Direction, text: string, mark: MessageMark | null = null): Entry {
    const kept = this.kept(text);
    return this.record(info, direction, 'text', utf8Length(text), kept, kept.length < text.length, mark);
  }

  private kept(text: string): string {
    return text.length > this.maxPayload ? stringSlice(text, 0, this.maxPayload) : text;
  }

  /** What the page (or Sockscope as the page) sent: only sent text can hold lone surrogates, which the browser sends as U+FFFD. */
  sent(info: SocketInfo, data: unknown, mark: MessageMark | null = null): void {
    this.payload(info, 'send', typeof data === 'string' && !isWellFormed(data) ? toWellFormed(data) : data, mark);
  }

  /** A payload as the page sent or received it: text, a Blob, or an ArrayBuffer or view. */
  payload(info: SocketInfo, direction: Direction, data: unknown, mark: MessageMark | null = null): Entry {
    if (typeof data === 'string') return this.text(info, direction, data, mark);
    if (isBlob(data)) return this.blob(info, direction, data, mark);
    return this.bytes(info, direction, this.capture(data as ArrayBuffer | ArrayBufferView), mark);
  }

  /** A message edited on its way (by a rule or at a breakpoint): what went on, and what it was (a Blob's bytes are not kept). */
  edited(info: SocketInfo, direction: Direction, data: unknown, original: unknown): void {
    this.original = typeof original === 'string' ? this.kept(original) : isBlob(original) ? null : this.capture(original as ArrayBuffer | ArrayBufferView).copy;
    try {
      this.payload(info, direction, data, 'edited');
    } finally {
      this.original = null;
    }
  }

  /** The original of the edited message being recorded (see `edited`): `record` takes it, so that the history counts it. */
  private original: string | Uint8Array | null = null;

  /** A copy of at most a history's worth of the bytes, taken now: the page may reuse its buffer. */
  capture(source: ArrayBuffer | ArrayBufferView): CapturedBytes {
    const bytes = bytesOf(source);
    const size = lengthOf(bytes);
    return { copy: copyPrefix(bytes, size < this.maxPayload ? size : this.maxPayload), size };
  }

  bytes(info: SocketInfo, direction: Direction, { copy, size }: CapturedBytes, mark: MessageMark | null = null): Entry {
    return this.record(info, direction, 'binary', size, copy, false, mark);
  }

  blob(info: SocketInfo, direction: Direction, blob: Blob, mark: MessageMark | null = null): Entry {
    const entry = this.record(info, direction, 'binary', sizeOfBlob(blob), null, false, mark);
    const settle = (bytes: Uint8Array) => {
      entry.payload = bytes;
      if (this.post) this.schedule(FLUSH_MS);
    };
    // A failed read leaves an empty payload, which the message reports as truncated.
    promiseThen(readBlob(blob, this.maxPayload), (buffer) => settle(new NativeUint8Array(buffer)), () => settle(new NativeUint8Array(0)));
    return entry;
  }

  /** Samples for the subscriber, sent with the next batch; the oldest go past LIMITS.samplesPerBatch. */
  addSamples(samples: WireSample[]): void {
    if (!this.post) return;
    for (let i = 0; i < samples.length; i++) this.pendingSamples.push(samples[i]);
    while (this.pendingSamples.length > LIMITS.samplesPerBatch) this.pendingSamples.shift();
    this.schedule(0);
  }

  forEachSocket(fn: (info: SocketInfo) => void): void {
    this.sockets.forEach(fn);
  }

  subscribe(since: number, post: (message: ShimEvent) => void): void {
    this.post = post;
    this.sentSeq = since;
    this.replayUntil = this.nextSeq - 1;
    this.announce = true;
    this.sockets.forEach((info) => this.dirty.add(info));
    this.schedule(0);
  }

  unsubscribe(): void {
    this.post = null;
    this.dirty.clear();
    this.pendingSamples.clear();
  }

  socketList(): SocketInfo[] {
    const list: SocketInfo[] = [];
    this.sockets.forEach((info) => (list[list.length] = { ...info, protocols: copyList(info.protocols) }));
    return list;
  }

  /** Retained messages whose payload is readable, in full. */
  messageList(socketId?: number): MessageRecord[] {
    const entries = this.history.entries(socketId);
    const list: MessageRecord[] = [];
    for (let i = 0; i < entries.length; i++) {
      if (entries[i].payload !== null) list[list.length] = fromWireMessage(toWireMessage(entries[i], Number.MAX_SAFE_INTEGER));
    }
    return list;
  }

  private record(
    info: SocketInfo,
    direction: Direction,
    type: Entry['type'],
    size: number,
    payload: Entry['payload'],
    cut = false,
    mark: MessageMark | null = null,
  ): Entry {
    // Binary is copied at most maxPayload bytes (a Blob is read as much); text arrives cut to it.
    const original = this.original;
    this.original = null;
    const weight =
      (typeof payload === 'string' ? payload.length : size < this.maxPayload ? size : this.maxPayload) +
      (original === null ? 0 : typeof original === 'string' ? original.length : lengthOf(original));
    const entry: Entry = { seq: this.nextSeq++, socketId: info.id, direction, type, size, time: now(), payload, weight, cut, mark, original, evicted: false };
    info.lastSeq = entry.seq;
    if (direction === 'send') {
      info.sent++;
      info.sentBytes += size;
    } else {
      info.received++;
      info.receivedBytes += size;
    }
    this.history.add(entry);
    this.changed(info);
    if (this.post && (++this.unsentMessages >= this.eagerMessages || (this.unsentBytes += size) >= this.eagerBytes) && this.sendBatch()) this.schedule(0);
    return entry;
  }

  private onEvict(entry: Entry): void {
    const info = this.sockets.get(entry.socketId);
    if (!info) return;
    info.dropped++;
    this.changed(info);
  }

  private forgetOldestClosed(): void {
    let oldest: SocketInfo | null = null;
    this.sockets.forEach((info) => {
      if (oldest === null && info.readyState === 3) oldest = info;
    });
    const info = oldest as SocketInfo | null;
    if (!info) return;
    this.sockets.delete(info.id);
    this.dirty.delete(info);
    this.history.removeSocket(info.id);
  }

  private schedule(delay: number): void {
    if (this.flushPending) return;
    this.flushPending = true;
    this.setTimer(this.flush, delay);
  }

  private inFull(entry: Entry): boolean {
    const chars = wireChars(entry);
    return chars <= PREVIEW_CHARS || entry.seq <= this.replayUntil || this.fullRelay.take(chars < LIMITS.messageData ? chars : LIMITS.messageData);
  }

  // A timer callback: an exception here would reach the page's `onerror`.
  private readonly flush = (): void => safely((recorder: Recorder) => recorder.sendBatch() && recorder.schedule(0), this);

  /**
   * Sends at once everything the subscriber lacks, batch after batch: the document is going away, and
   * its timers with it. A Blob still being read stops it, as it stops any batch. Every socket goes
   * again: a batch already posted may never arrive, and the panel counts what it lacks from these.
   */
  sendAll(): void {
    this.sockets.forEach((info) => this.dirty.add(info));
    for (let i = 0; i < MAX_FINAL_BATCHES && this.sendBatch(); i++);
  }

  /**
   * Sends what the subscriber lacks as one batch of at most LIMITS.batchBody
   * characters, built as JSON text piece by piece so its length is known as it
   * grows. Changed sockets go first, and messages only once every changed socket
   * is sent: the panel files a message under a socket it already knows. Says whether more waits.
   */
  private sendBatch(): boolean {
    this.flushPending = false;
    const post = this.post;
    if (!post) return false;
    this.unsentMessages = 0;
    this.unsentBytes = 0;
    let room = LIMITS.batchBody - BATCH_OVERHEAD;
    let sockets = '';
    let socketCount = 0;
    let full = false;
    this.dirty.forEach((info) => {
      if (full) return;
      const json = toJson(info);
      if (socketCount === LIMITS.socketsPerBatch || json.length >= room) return void (full = true);
      sockets += (socketCount++ ? ',' : '') + json;
      room -= json.length + 1;
      this.dirty.delete(info);
    });
    let more = this.dirty.size > 0;
    let messages = '';
    let messageCount = 0;
    let samples = '';
    // Samples name sockets the panel must know already: they wait, as messages do, for every changed socket.
    while (!more && this.pendingSamples.length > 0) {
      const json = toJson(this.pendingSamples.at(0));
      if (json.length >= room) {
        more = true;
        break;
      }
      samples += (samples ? ',' : '') + json;
      room -= json.length + 1;
      this.pendingSamples.shift();
    }
    if (!more) {
      this.history.forEachAfter(this.sentSeq, (entry) => {
        // Stop at a Blob still being read: the panel relies on messages arriving in seq order.
        if (entry.payload === null) return false;
        // Always fits an empty batch: a message's JSON is at most six times LIMITS.messageData.
        const json = toJson(toWireMessage(entry, this.inFull(entry) ? LIMITS.messageData : PREVIEW_CHARS));
        if (messageCount === LIMITS.messagesPerBatch || json.length >= room) {
          more = true;
          return false;
        }
        messages += (messageCount++ ? ',' : '') + json;
        room -= json.length + 1;
        this.sentSeq = entry.seq;
        return true;
      });
    }
    if (socketCount > 0 || messageCount > 0 || samples || this.announce) {
      this.announce = false;
      post(envelope<ShimEvents, 'batch'>('batch', { instance: this.instance, body: writeBatch({ sockets, messages, samples }) }));
    }
    return more;
  }
}

/** Characters of an entry's data on the wire, uncut: text as is, bytes as base64. */
function wireChars({ payload }: Entry): number {
  if (typeof payload === 'string') return payload.length;
  const groups = lengthOf(payload as Uint8Array) + 2; // base64: 4 characters per 3 bytes, rounded up
  return ((groups - (groups % 3)) / 3) * 4;
}

function copyList(list: readonly string[]): string[] {
  const copy: string[] = [];
  for (let i = 0; i < list.length; i++) copy[i] = list[i];
  return copy;
}

const clip = (text: string): string => (text.length > LIMITS.string ? stringSlice(text, 0, LIMITS.string) : text);

/** The wire form of an entry, its data cut to `limit` characters. */
function toWireMessage(entry: Entry, limit: number): WireMessage {
  const payload = entry.payload as string | Uint8Array;
  let data: string;
  let truncated: boolean;
  if (typeof payload === 'string') {
    data = payload.length > limit ? stringSlice(payload, 0, limit) : payload;
    truncated = entry.cut || data.length < payload.length;
  } else {
    const shown = shownBytes(payload, limit);
    data = toBase64(shown);
    truncated = lengthOf(shown) < entry.size;
  }
  const { seq, socketId, direction, type, size, time, mark, original } = entry;
  const wire: WireMessage = [seq, socketId, direction, type, size, data, truncated, time];
  if (mark) wire[8] = mark;
  // Data and original share the limit: a message's JSON must fit an empty batch (see sendBatch).
  const room = limit - data.length;
  if (original !== null) wire[9] = typeof original === 'string' ? stringSlice(original, 0, room) : toBase64(shownBytes(original, room));
  return wire;
}

/** As many of the bytes as `limit` characters of base64 hold (4 characters per 3 bytes). */
function shownBytes(bytes: Uint8Array, limit: number): Uint8Array {
  const maxBytes = ((limit - (limit % 4)) / 4) * 3;
  return lengthOf(bytes) > maxBytes ? viewOf(bytes, 0, maxBytes) : bytes;
}
