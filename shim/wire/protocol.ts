// The one message protocol between shim, bridge, background and panel.
//
//   shim ──ShimMessage──▶ bridge ──ShimMessage──▶ background ──SourceMessage──▶ panel
//   shim ◀─BridgeCommand── bridge ◀─ContentCommand── background ◀─PanelCommand── panel
//
// A batch crosses as one JSON string (`body`) that the bridge and the
// background pass on untouched: each hop then copies a string instead of
// cloning or serializing thousands of small objects. Everything the shim sends
// is page-controlled: the bridge checks the envelope and bounds the body's
// length (`parseShimMessage`); the panel parses the body and checks every
// field (`decodeSourceMessage`) before anything reaches its log.
export const PROTOCOL_VERSION = 4;

export type SocketKind = 'WebSocket' | 'WebSocketStream';
export type Direction = 'send' | 'receive';
export type FrameType = 'text' | 'binary';
export type ReadyState = 0 | 1 | 2 | 3;

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
  /** URL of the document that created the socket. */
  frameUrl: string;
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
  /** Frames of this socket evicted from the page's bounded history. */
  dropped: number;
}

export interface Frame {
  /** Increases by one per recorded frame within a shim instance; the panel de-duplicates on it. */
  seq: number;
  socketId: number;
  direction: Direction;
  type: FrameType;
  /** Payload size in bytes (UTF-8 for text). */
  size: number;
  /** The payload: text as is, binary as base64. */
  data: string;
  /** `data` holds only a prefix of the payload. */
  truncated: boolean;
  /** Epoch milliseconds. */
  time: number;
}

/** A frame as it crosses, in `Frame`'s field order: arrays encode and decode faster than objects. */
export type WireFrame = [
  seq: number,
  socketId: number,
  direction: Direction,
  type: FrameType,
  size: number,
  data: string,
  truncated: boolean,
  time: number,
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
} as const;

/** `[socketId, ...SAMPLE_FIELDS]`, every entry a finite number ≥ 0. */
export type WireSample = number[];

/** What a batch's `body` holds, as JSON. `samples` only while a panel listens. */
export interface WireBatch {
  sockets: SocketInfo[];
  frames: WireFrame[];
  samples?: WireSample[];
}

type Hello = { v: typeof PROTOCOL_VERSION; type: 'hello'; instance: string; frameUrl: string };

/** Sent by the shim; forwarded unchanged by the bridge and the background. */
export type ShimMessage = Hello | { v: typeof PROTOCOL_VERSION; type: 'batch'; instance: string; body: string };

/**
 * A rule the panel set. `rule` is read with `readRule` where it is applied;
 * `instance`, when set, limits it to that document's shim (a rule for one
 * socket: socket ids are unique only within a document); `label` says what
 * the user chose, for the panel's list.
 */
export interface PanelRule {
  rule: unknown;
  instance: string | null;
  label: string;
}

/**
 * The panel's shaping rules for a tab, all of them: each shim replaces the
 * ones it had from the panel with these (rules a page set through
 * `sockscope.shape` stay). The protocol only bounds the list.
 */
type Shape = { v: typeof PROTOCOL_VERSION; type: 'shape'; rules: PanelRule[] };

/** The panel drives the page as a consumer of one socket, in one document. */
export type ConsumerAction = 'pause' | 'resume' | 'step';
type Consumer = { v: typeof PROTOCOL_VERSION; type: 'consumer'; instance: string; socketId: number; action: ConsumerAction };

/** Bridge → shim. `since`: the highest frame seq the panel already holds from this shim. */
export type BridgeCommand =
  | { v: typeof PROTOCOL_VERSION; type: 'subscribe'; since: number }
  | { v: typeof PROTOCOL_VERSION; type: 'unsubscribe' }
  | Shape
  | Consumer;

/** Panel → background. */
export type PanelCommand =
  | { v: typeof PROTOCOL_VERSION; type: 'attach'; tabId: number }
  | { v: typeof PROTOCOL_VERSION; type: 'subscribe'; since: Record<string, number> }
  | Shape
  | Consumer;

/** Background → bridge. */
export type ContentCommand =
  | { v: typeof PROTOCOL_VERSION; type: 'subscribe'; since: Record<string, number> }
  | { v: typeof PROTOCOL_VERSION; type: 'unsubscribe' }
  | Shape
  | Consumer;

/** Background → panel, besides SourceMessages: the tab's current rules, on attach. */
export type PanelNotice = Shape;

/** At most this many rules per tab. */
export const MAX_RULES = 100;
const LABEL_CHARS = 200;

const isPanelRule = (x: unknown): x is PanelRule =>
  isObject(x) && (x.instance === null || (typeof x.instance === 'string' && INSTANCE.test(x.instance))) && isBoundedString(x.label, LABEL_CHARS);

export const isShape = (x: unknown): x is Shape =>
  isObject(x) && x.v === PROTOCOL_VERSION && x.type === 'shape' && Array.isArray(x.rules) && x.rules.length <= MAX_RULES && x.rules.every(isPanelRule);

const CONSUMER_ACTIONS: readonly ConsumerAction[] = ['pause', 'resume', 'step'];

export const isConsumerCommand = (x: unknown): x is Consumer =>
  isObject(x) &&
  x.v === PROTOCOL_VERSION &&
  x.type === 'consumer' &&
  typeof x.instance === 'string' &&
  INSTANCE.test(x.instance) &&
  isCount(x.socketId) &&
  isOneOf(x.action, CONSUMER_ACTIONS);

/** Background → panel: what a frame's shim said, tagged with the frame it came from. */
export type SourceMessage = ShimMessage & { frameId: number };

/** A SourceMessage as the panel reads it: the batch body parsed and checked. */
export type DecodedSourceMessage =
  | (Hello & { frameId: number })
  | { type: 'batch'; instance: string; frameId: number; sockets: SocketInfo[]; frames: Frame[]; samples: WireSample[] };

export const PORT_CONTENT = 'sockscope-content';
export const PORT_PANEL = 'sockscope-panel';
/** Event type the bridge dispatches on the page's window to hand the shim its private port. */
export const HELLO_EVENT = 'sockscope-hello';
/**
 * Event type a script the background registers for every page, while some
 * tab has shaping rules, dispatches on the page's window at document_start:
 * the shim then holds sockets opened before its tab's rules arrive.
 */
export const AWAIT_RULES_EVENT = 'sockscope-await-rules';
/**
 * Options the user turns on per origin in the panel, each applying from a
 * page's next load. The background registers the option's MAIN-world script
 * for those origins; it dispatches the option's event on the page's window at
 * document_start, and the shim, which runs first, stops it (a cancelled
 * dispatch tells the script it was heard) and applies the option.
 */
export const ORIGIN_OPTIONS = {
  /** Supply WebSocketStream, which the browser lacks (Firefox), built on WebSocket. */
  provideWebSocketStream: { event: 'sockscope-provide-websocket-stream', script: 'provide-websocket-stream' },
  /** Carry classic WebSockets over the native WebSocketStream (Chromium): a slow consumer backpressures the server. */
  webSocketOverStream: { event: 'sockscope-websocket-over-stream', script: 'websocket-over-stream' },
} as const;

export type OriginOption = keyof typeof ORIGIN_OPTIONS;

/** Panel → background, as a one-off message: the inspected page's origin and one option's setting there, changed when `enabled` is given. */
export interface OriginOptionRequest {
  v: typeof PROTOCOL_VERSION;
  type: 'origin-option';
  option: OriginOption;
  tabId: number;
  enabled?: boolean;
}

/** The background's answer. `origin` is null until the tab shows a page Sockscope instruments. */
export interface OriginOptionSetting {
  origin: string | null;
  enabled: boolean;
}

export function isOriginOptionRequest(x: unknown): x is OriginOptionRequest {
  return (
    isObject(x) &&
    x.v === PROTOCOL_VERSION &&
    x.type === 'origin-option' &&
    typeof x.option === 'string' &&
    Object.hasOwn(ORIGIN_OPTIONS, x.option) &&
    isCount(x.tabId) &&
    (x.enabled === undefined || typeof x.enabled === 'boolean')
  );
}

/** Bounds on what crosses from the page. */
export const LIMITS = {
  string: 16 * 1024,
  protocols: 64,
  socketsPerBatch: 1_000,
  framesPerBatch: 5_000,
  samplesPerBatch: 2_000,
  /** Characters of `data` per frame that leave the page (text, or base64 of binary). */
  frameData: 1024 * 1024,
  /**
   * Characters of a batch's JSON body. Escaping makes a frame's JSON up to six
   * times its data (a lone 1 MiB frame still fits), and the body crosses the
   * runtime port escaped once more: still well under Chrome's 64 MiB per message.
   */
  batchBody: 8 * 1024 * 1024,
} as const;

type Fields = Record<string, unknown>;

// Hoisted: the validators run for every frame that leaves the page.
const KINDS: readonly SocketKind[] = ['WebSocket', 'WebSocketStream'];
const READY_STATES: readonly ReadyState[] = [0, 1, 2, 3];
const DIRECTIONS: readonly Direction[] = ['send', 'receive'];
const FRAME_TYPES: readonly FrameType[] = ['text', 'binary'];

const isObject = (x: unknown): x is Fields => typeof x === 'object' && x !== null;
const isCount = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) >= 0;
const isTime = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isBoundedString = (x: unknown, max: number = LIMITS.string): x is string =>
  typeof x === 'string' && x.length <= max;
const isOneOf = <T extends string | number>(x: unknown, values: readonly T[]): x is T =>
  values.includes(x as T);

function isSocketInfo(x: unknown): x is SocketInfo {
  if (!isObject(x)) return false;
  const protocols = x.protocols;
  return (
    isCount(x.id) &&
    isOneOf(x.kind, KINDS) &&
    typeof x.provided === 'boolean' &&
    typeof x.overStream === 'boolean' &&
    typeof x.shaped === 'boolean' &&
    isBoundedString(x.url) &&
    Array.isArray(protocols) &&
    protocols.length <= LIMITS.protocols &&
    protocols.every((p) => isBoundedString(p)) &&
    isBoundedString(x.frameUrl) &&
    isOneOf(x.readyState, READY_STATES) &&
    isBoundedString(x.protocol) &&
    isBoundedString(x.extensions) &&
    isTime(x.createdAt) &&
    (x.openedAt === null || isTime(x.openedAt)) &&
    (x.closedAt === null || isTime(x.closedAt)) &&
    typeof x.error === 'boolean' &&
    (x.closeCode === null || isCount(x.closeCode)) &&
    isBoundedString(x.closeReason) &&
    (x.wasClean === null || typeof x.wasClean === 'boolean') &&
    isCount(x.sent) &&
    isCount(x.received) &&
    isCount(x.sentBytes) &&
    isCount(x.receivedBytes) &&
    isCount(x.dropped)
  );
}

function isWireFrame(x: unknown): x is WireFrame {
  return (
    Array.isArray(x) &&
    x.length === 8 &&
    isCount(x[0]) &&
    isCount(x[1]) &&
    isOneOf(x[2], DIRECTIONS) &&
    isOneOf(x[3], FRAME_TYPES) &&
    isCount(x[4]) &&
    isBoundedString(x[5], LIMITS.frameData) &&
    typeof x[6] === 'boolean' &&
    isTime(x[7])
  );
}

// Indexed, not destructured: the shim calls this in the page, where the array iterator is the page's to patch.
export const fromWireFrame = (wire: WireFrame): Frame => ({
  seq: wire[0],
  socketId: wire[1],
  direction: wire[2],
  type: wire[3],
  size: wire[4],
  data: wire[5],
  truncated: wire[6],
  time: wire[7],
});

const INSTANCE = /^[a-z0-9]{1,32}$/;

/**
 * The bridge's check of a message from the page world: the envelope's shape and
 * the body's length, nothing per frame (the panel checks those). Returns a fresh
 * message holding only the known fields (nothing else the page attached
 * survives), or null.
 */
export function parseShimMessage(x: unknown): ShimMessage | null {
  if (!isObject(x) || x.v !== PROTOCOL_VERSION) return null;
  if (typeof x.instance !== 'string' || !INSTANCE.test(x.instance)) return null;
  if (x.type === 'hello') {
    if (!isBoundedString(x.frameUrl)) return null;
    return { v: PROTOCOL_VERSION, type: 'hello', instance: x.instance, frameUrl: x.frameUrl };
  }
  if (x.type !== 'batch' || !isBoundedString(x.body, LIMITS.batchBody)) return null;
  return { v: PROTOCOL_VERSION, type: 'batch', instance: x.instance, body: x.body };
}

/**
 * The panel's reading of what the background forwards: the envelope, then the
 * batch body parsed and every field of it checked and bounded. Null when
 * anything is off: one forged field discards the whole batch.
 */
export function decodeSourceMessage(x: unknown): DecodedSourceMessage | null {
  if (!isObject(x) || !Number.isSafeInteger(x.frameId)) return null;
  const message = parseShimMessage(x);
  if (!message) return null;
  const frameId = x.frameId as number;
  if (message.type === 'hello') return { ...message, frameId };
  const batch = parseWireBatch(message.body);
  return batch && { type: 'batch', instance: message.instance, frameId, ...batch };
}

function isWireSample(x: unknown): x is WireSample {
  if (!Array.isArray(x) || x.length !== SAMPLE_FIELDS.length + 1 || !isCount(x[0])) return false;
  for (let i = 1; i < x.length; i++) if (!isTime(x[i]) || x[i] < 0) return false;
  return true;
}

function parseWireBatch(body: string): { sockets: SocketInfo[]; frames: Frame[]; samples: WireSample[] } | null {
  let x: unknown;
  try {
    x = JSON.parse(body);
  } catch {
    return null; // not JSON, or nested deeper than the parser's stack
  }
  if (!isObject(x)) return null;
  const { sockets, frames, samples = [] } = x;
  if (!Array.isArray(sockets) || sockets.length > LIMITS.socketsPerBatch) return null;
  if (!Array.isArray(frames) || frames.length > LIMITS.framesPerBatch) return null;
  if (!Array.isArray(samples) || samples.length > LIMITS.samplesPerBatch) return null;
  if (!sockets.every(isSocketInfo) || !frames.every(isWireFrame) || !samples.every(isWireSample)) return null;
  return { sockets: sockets.map(copySocketInfo), frames: frames.map(fromWireFrame), samples: samples.map((sample) => [...sample]) };
}

const copySocketInfo = (s: SocketInfo): SocketInfo => ({
  id: s.id,
  kind: s.kind,
  provided: s.provided,
  overStream: s.overStream,
  shaped: s.shaped,
  url: s.url,
  protocols: [...s.protocols],
  frameUrl: s.frameUrl,
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
});

/** Commands reach the bridge from the background, which trusts only the panel: a light shape check suffices. */
export function isContentCommand(x: unknown): x is ContentCommand {
  if (!isObject(x) || x.v !== PROTOCOL_VERSION) return false;
  return x.type === 'unsubscribe' || (x.type === 'subscribe' && isObject(x.since)) || isShape(x) || isConsumerCommand(x);
}

export function isPanelCommand(x: unknown): x is PanelCommand {
  if (!isObject(x) || x.v !== PROTOCOL_VERSION) return false;
  if (x.type === 'attach') return isCount(x.tabId);
  return (x.type === 'subscribe' && isObject(x.since)) || isShape(x) || isConsumerCommand(x);
}
