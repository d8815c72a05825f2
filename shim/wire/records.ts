// What a shim records and sends: sockets, messages and samples, as they
// cross from the page in a batch. The shim writes a batch's body as JSON text
// (`writeBatch`) and the panel reads it back (`readBatch`): both follow
// `WireBatch`, so a list one side names and the other does not fails to compile.
import { isBoundedString, isCount, isObject, isOneOf, isTime } from './check';

export type SocketKind = 'WebSocket' | 'WebSocketStream';
export type Direction = 'send' | 'receive';
export type MessageType = 'text' | 'binary';
export type ReadyState = 0 | 1 | 2 | 3;
/**
 * Sockscope, not the page or the server alone, is behind a message: `sent`
 * by Sockscope as the page; `injected` into the page as if the server sent
 * it; `edited` by a rule or at a breakpoint (the original kept beside it);
 * `dropped` by a rule or at a breakpoint (it went no further); `mocked`: a
 * send a rule answered instead of sending it, and that answer.
 */
export type MessageMark = 'sent' | 'injected' | 'edited' | 'dropped' | 'mocked';

export type WorkerKind = 'dedicated' | 'shared' | 'service';

/** One socket as the shim last saw it. `id` is unique within one shim instance (one document). */
export interface SocketInfo {
  id: number;
  kind: SocketKind;
  /**
   * Sockscope supplies this API, which the browser lacks (a WebSocketStream
   * built on a WebSocket): its receive backpressure is simulated.
   */
  provided: boolean;
  /**
   * A WebSocket carried over a native WebSocketStream (Sockscope's opt-in
   * mode in Chromium): a slow consumer backpressures the server for real.
   */
  overStream: boolean;
  /** A shaping rule applies to it now. */
  shaped: boolean;
  url: string;
  /** Subprotocols the page asked for. */
  protocols: string[];
  /** URL of the document, or the worker's script, that created the socket. */
  frameUrl: string;
  /** The kind of worker that created the socket; null for a document. */
  worker: WorkerKind | null;
  readyState: ReadyState;
  protocol: string;
  extensions: string;
  /** Epoch milliseconds. */
  createdAt: number;
  openedAt: number | null;
  closedAt: number | null;
  /** An `error` event fired. */
  error: boolean;
  closeCode: number | null;
  closeReason: string;
  wasClean: boolean | null;
  sent: number;
  received: number;
  sentBytes: number;
  receivedBytes: number;
  /** Messages of this socket evicted from the page's bounded history. */
  dropped: number;
  /**
   * The seq of its latest recorded message, 0 before one. A panel that holds its realm's messages up to
   * this seq has every one that will reach it: any of the socket's messages it lacks then is lost to it.
   */
  lastSeq: number;
}

export interface MessageRecord {
  /** Increases by one per recorded message within a shim instance; the panel de-duplicates on it. */
  seq: number;
  socketId: number;
  direction: Direction;
  type: MessageType;
  /** Payload size in bytes (UTF-8 for text). */
  size: number;
  /** The payload: text as is, binary as base64. */
  data: string;
  /** `data` holds only a prefix of the payload. */
  truncated: boolean;
  /** Epoch milliseconds. */
  time: number;
  /** Only on a message Sockscope sent, injected, edited, dropped or mocked. */
  mark?: MessageMark;
  /** Only on an edited message: its data before the edit, as `data` is given. */
  original?: string;
}

/** A message held at a breakpoint, as the page API and the panel show it. */
export interface HeldMessage {
  /** What `release` takes. */
  id: number;
  /** The breakpoint's rule (what `intercept` returned). */
  ruleId: number;
  socketId: number;
  direction: Direction;
  type: MessageType;
  size: number;
  /** Text, or base64 of the bytes (empty for a Blob the page sent, which is not read). */
  data: string;
}

/** A message as it crosses, in `MessageRecord`'s field order: arrays encode and decode faster than objects. */
export type WireMessage = [
  seq: number,
  socketId: number,
  direction: Direction,
  type: MessageType,
  size: number,
  data: string,
  truncated: boolean,
  time: number,
  /** Only on a marked message: nothing crosses for the others. */
  mark?: MessageMark,
  /** Only on an edited one. */
  original?: string,
];

/** How often the shim samples its sockets while a panel listens. */
export const SAMPLE_MS = 250;

/**
 * What a sample says of one socket, in wire order after its socket id: the
 * end of the interval (epoch ms) and its length (timers run late on a busy
 * page); messages and bytes recorded in it per
 * direction, and messages handed to the page; what shaping holds at its end (messages and bytes, per stage);
 * the page-visible `bufferedAmount`; the mean delay shaping added to what it
 * handed on in it, per direction; then flags (SAMPLE_FLAGS).
 */
export const SAMPLE_FIELDS = [
  'time',
  'intervalMs',
  'sent',
  'sentBytes',
  'received',
  'receivedBytes',
  'handed',
  'heldUp',
  'heldUpBytes',
  'heldDown',
  'heldDownBytes',
  'heldConsumer',
  'heldConsumerBytes',
  'buffered',
  'delayUpMs',
  'delayDownMs',
  'flags',
] as const;

export type SampleField = (typeof SAMPLE_FIELDS)[number];

/** Bits of a sample's `flags`. */
export const SAMPLE_FLAGS = {
  /** The page's consumer of this socket is paused. */
  consumerPaused: 1,
  /** Shaping holds more than its warning cap for this socket (nothing is dropped). */
  overCap: 2,
  /** The user paused or resumed the consumer over what the socket's rule says. */
  consumerOverridden: 4,
} as const;

/** `[socketId, ...SAMPLE_FIELDS]`, every entry a finite number ≥ 0. */
export type WireSample = number[];

/** What a batch's body holds, as JSON: the sockets that changed, then messages and samples (only while a panel listens). */
export interface WireBatch {
  sockets: SocketInfo[];
  messages: WireMessage[];
  samples: WireSample[];
}

/** Each list of a batch as JSON text: its items' JSON joined by commas. */
export type BatchText = { readonly [List in keyof WireBatch]: string };

/** The lists in the order they are written: sockets first, since the panel files messages and samples under sockets it knows. */
const BATCH_LISTS = ['sockets', 'messages', 'samples'] as const;
// Every list of WireBatch is written and read, and no other.
type ListsAre<T> = [T] extends [keyof WireBatch] ? ([keyof WireBatch] extends [T] ? true : never) : never;
const batchListsComplete: ListsAre<(typeof BATCH_LISTS)[number]> = true;
void batchListsComplete;

/** Characters of a batch body outside its lists. */
export const BATCH_OVERHEAD = '{"sockets":[],"messages":[],"samples":[]}'.length;

/**
 * A batch's body from its lists' JSON text. String concatenation only: the
 * shim calls this in the page, whose built-ins are the page's to patch.
 */
export function writeBatch(text: BatchText): string {
  let body = '';
  for (let i = 0; i < BATCH_LISTS.length; i++) body += (i === 0 ? '{"' : ',"') + BATCH_LISTS[i] + '":[' + text[BATCH_LISTS[i]] + ']';
  return body + '}';
}

/** Bounds on what crosses from the page. */
export const LIMITS = {
  string: 16 * 1024,
  protocols: 64,
  socketsPerBatch: 1_000,
  messagesPerBatch: 5_000,
  samplesPerBatch: 2_000,
  /** Characters of `data` per message that leave the page (text, or base64 of binary). */
  messageData: 1024 * 1024,
  /**
   * Characters of a batch's JSON body. Escaping makes a message's JSON up to six
   * times its data (a lone 1 MiB message still fits), and the body crosses the
   * runtime port escaped once more: still well under Chrome's 64 MiB per message.
   */
  batchBody: 8 * 1024 * 1024,
} as const;

// Hoisted: the validators run for every message that leaves the page.
const KINDS: readonly SocketKind[] = ['WebSocket', 'WebSocketStream'];
const READY_STATES: readonly ReadyState[] = [0, 1, 2, 3];
const DIRECTIONS: readonly Direction[] = ['send', 'receive'];
export const WORKER_KINDS: readonly WorkerKind[] = ['dedicated', 'shared', 'service'];
const MESSAGE_TYPES: readonly MessageType[] = ['text', 'binary'];
const MARKS: readonly MessageMark[] = ['sent', 'injected', 'edited', 'dropped', 'mocked'];

const isText = (x: unknown): x is string => isBoundedString(x, LIMITS.string);

function isSocketInfo(x: unknown): x is SocketInfo {
  if (!isObject(x)) return false;
  const protocols = x.protocols;
  return (
    isCount(x.id) &&
    isOneOf(x.kind, KINDS) &&
    typeof x.provided === 'boolean' &&
    typeof x.overStream === 'boolean' &&
    typeof x.shaped === 'boolean' &&
    isText(x.url) &&
    Array.isArray(protocols) &&
    protocols.length <= LIMITS.protocols &&
    protocols.every(isText) &&
    isText(x.frameUrl) &&
    (x.worker === null || isOneOf(x.worker, WORKER_KINDS)) &&
    isOneOf(x.readyState, READY_STATES) &&
    isText(x.protocol) &&
    isText(x.extensions) &&
    isTime(x.createdAt) &&
    (x.openedAt === null || isTime(x.openedAt)) &&
    (x.closedAt === null || isTime(x.closedAt)) &&
    typeof x.error === 'boolean' &&
    (x.closeCode === null || isCount(x.closeCode)) &&
    isText(x.closeReason) &&
    (x.wasClean === null || typeof x.wasClean === 'boolean') &&
    isCount(x.sent) &&
    isCount(x.received) &&
    isCount(x.sentBytes) &&
    isCount(x.receivedBytes) &&
    isCount(x.dropped) &&
    isCount(x.lastSeq)
  );
}

function isWireMessage(x: unknown): x is WireMessage {
  return (
    Array.isArray(x) &&
    (x.length === 8 || (x.length === 9 && isOneOf(x[8], MARKS)) || (x.length === 10 && x[8] === 'edited' && isBoundedString(x[9], LIMITS.messageData))) &&
    isCount(x[0]) &&
    isCount(x[1]) &&
    isOneOf(x[2], DIRECTIONS) &&
    isOneOf(x[3], MESSAGE_TYPES) &&
    isCount(x[4]) &&
    isBoundedString(x[5], LIMITS.messageData) &&
    typeof x[6] === 'boolean' &&
    isTime(x[7])
  );
}

function isWireSample(x: unknown): x is WireSample {
  if (!Array.isArray(x) || x.length !== SAMPLE_FIELDS.length + 1 || !isCount(x[0])) return false;
  for (let i = 1; i < x.length; i++) if (!isTime(x[i]) || x[i] < 0) return false;
  return true;
}

/** Each list's item check and its bound per batch. */
const LIST_CHECKS: { readonly [List in keyof WireBatch]: { item: (x: unknown) => x is WireBatch[List][number]; max: number } } = {
  sockets: { item: isSocketInfo, max: LIMITS.socketsPerBatch },
  messages: { item: isWireMessage, max: LIMITS.messagesPerBatch },
  samples: { item: isWireSample, max: LIMITS.samplesPerBatch },
};

/**
 * The panel's reading of a batch body: parsed, every field of every item
 * checked and bounded, copied (nothing else the page attached survives).
 * Null when anything is off: one forged field discards the whole batch.
 */
export function readBatch(body: string): WireBatch | null {
  let x: unknown;
  try {
    x = JSON.parse(body);
  } catch {
    return null; // not JSON, or nested deeper than the parser's stack
  }
  if (!isObject(x)) return null;
  for (const list of BATCH_LISTS) {
    const items = x[list];
    const { item, max } = LIST_CHECKS[list];
    if (!Array.isArray(items) || items.length > max || !items.every(item)) return null;
  }
  const batch = x as unknown as WireBatch;
  return { sockets: batch.sockets.map(copySocketInfo), messages: batch.messages.map(copyWireMessage), samples: batch.samples.map((sample) => [...sample]) };
}

const copyWireMessage = (f: WireMessage): WireMessage => f.slice() as WireMessage;

const copySocketInfo = (s: SocketInfo): SocketInfo => ({
  id: s.id,
  kind: s.kind,
  provided: s.provided,
  overStream: s.overStream,
  shaped: s.shaped,
  url: s.url,
  protocols: [...s.protocols],
  frameUrl: s.frameUrl,
  worker: s.worker,
  readyState: s.readyState,
  protocol: s.protocol,
  extensions: s.extensions,
  createdAt: s.createdAt,
  openedAt: s.openedAt,
  closedAt: s.closedAt,
  error: s.error,
  closeCode: s.closeCode,
  closeReason: s.closeReason,
  wasClean: s.wasClean,
  sent: s.sent,
  received: s.received,
  sentBytes: s.sentBytes,
  receivedBytes: s.receivedBytes,
  dropped: s.dropped,
  lastSeq: s.lastSeq,
});

/** A message in its wire form: how the panel files messages that did not cross from a page (an imported HAR). */
export function wireMessageOf(f: MessageRecord): WireMessage {
  const wire: WireMessage = [f.seq, f.socketId, f.direction, f.type, f.size, f.data, f.truncated, f.time];
  if (f.mark) wire[8] = f.mark;
  if (f.mark === 'edited' && f.original !== undefined) wire[9] = f.original;
  return wire;
}

// Indexed, not destructured: the shim calls this in the page, where the array iterator is the page's to patch.
export function fromWireMessage(wire: WireMessage): MessageRecord {
  const record: MessageRecord = {
    seq: wire[0],
    socketId: wire[1],
    direction: wire[2],
    type: wire[3],
    size: wire[4],
    data: wire[5],
    truncated: wire[6],
    time: wire[7],
  };
  if (wire[8] !== undefined) record.mark = wire[8];
  if (wire[9] !== undefined) record.original = wire[9];
  return record;
}
