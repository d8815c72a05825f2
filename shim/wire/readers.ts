// The checks of every message that crosses a trust boundary, one validator
// per entry of each map in ./messages.ts. The page world never reads
// messages, so the shim imports none of this.
import { isBoundedString, isCount, isFarewell, isInstance, isObject, isOneOf, isTime, readOwnData, type Fields } from './check';
import {
  HELD_DATA_CHARS,
  HELD_LISTED,
  WIRE_VERSION,
  type BackgroundRequests,
  type ConsumerAction,
  type ContentCommands,
  type Envelope,
  type FromFrame,
  type Handshake,
  type Header,
  type OwnData,
  type PanelCommands,
  type PanelEvents,
  type PanelRule,
  type SeqMarks,
  type ShimEvents,
  type SocketCommands,
  type SocketTarget,
  type TalkAction,
  type Validators,
  type WireHeld,
  type WireWorker,
  type WorkerStatus,
  WORKER_URL_CHARS,
  WORKERS_LISTED,
} from './messages';
import { isOriginSetting } from './names';
import { LIMITS, WORKER_KINDS, type Direction, type MessageType } from './records';

/** Reads untrusted input as a message of `M`: a fresh envelope holding only the fields the type's validator copied, or null. */
export function reader<M>(validators: Validators<M>): (x: unknown) => Envelope<M> | null {
  return (x) => {
    if (!isObject(x) || x.v !== WIRE_VERSION || typeof x.type !== 'string' || !Object.hasOwn(validators, x.type)) return null;
    const fields = validators[x.type as keyof M](x);
    return fields && ({ v: WIRE_VERSION, type: x.type, ...fields } as Envelope<M>);
  };
}

/** At most this many rules per tab. */
export const MAX_RULES = 100;
const LABEL_CHARS = 200;
const CONSUMER_ACTIONS: readonly ConsumerAction[] = ['pause', 'resume', 'step', 'follow-rule'];

const isPanelRule = (x: unknown): x is PanelRule =>
  isObject(x) && (x.instance === null || isInstance(x.instance)) && isBoundedString(x.label, LABEL_CHARS);

const readShape = (x: Fields): SocketCommands['shape'] | null =>
  Array.isArray(x.rules) && x.rules.length <= MAX_RULES && x.rules.every(isPanelRule)
    ? { rules: x.rules.map(({ rule, instance, label }: PanelRule) => ({ rule, instance, label })) }
    : null;

/** A tab's rules as kept in storage, checked and copied as a shape command's are; null when they do not read as rules. */
export const readPanelRules = (rules: unknown): PanelRule[] | null => readShape({ rules })?.rules ?? null;

const isTarget = (x: Fields): boolean => isInstance(x.instance) && isCount(x.socketId);
const target = (x: Fields): SocketTarget => ({ instance: x.instance as string, socketId: x.socketId as number });

const readOwnMessage = (x: Fields): (SocketTarget & { data: OwnData }) | null => {
  const data = readOwnData(x.data);
  return isTarget(x) && data !== null ? { ...target(x), data } : null;
};

/** Close codes fit an unsigned short; which ones a page may send is the shim's check, whose error the panel shows. */
const MAX_CLOSE_CODE = 65_535;
const REASON_CHARS = 123;
const TALK_ACTIONS: readonly TalkAction[] = ['send', 'inject', 'close'];
const REFUSAL_CHARS = 1_000;

const SOCKET_COMMANDS: Validators<SocketCommands> = {
  shape: readShape,
  send: readOwnMessage,
  inject: readOwnMessage,
  close: (x) =>
    isTarget(x) && (x.code === null || (isCount(x.code) && x.code <= MAX_CLOSE_CODE)) && isBoundedString(x.reason, REASON_CHARS)
      ? { ...target(x), code: x.code, reason: x.reason }
      : null,
  consumer: (x) =>
    isInstance(x.instance) && isCount(x.socketId) && isOneOf(x.action, CONSUMER_ACTIONS) ? { instance: x.instance, socketId: x.socketId, action: x.action } : null,
  release: (x) => {
    const data = x.data === null ? null : readOwnData(x.data);
    return isInstance(x.instance) && isCount(x.id) && (x.data === null || data !== null) && typeof x.drop === 'boolean' && !(x.drop && data !== null)
      ? { instance: x.instance, id: x.id, data, drop: x.drop }
      : null;
  },
};

const readSeqMarks = (x: Fields): { since: SeqMarks } | null => {
  if (!isObject(x.since)) return null;
  const since: SeqMarks = {};
  for (const [instance, seq] of Object.entries(x.since)) if (isInstance(instance) && isCount(seq)) since[instance] = seq;
  return { since };
};

const readShimHello = (x: Fields): ShimEvents['hello'] | null =>
  isInstance(x.instance) && (x.worker === null || isOneOf(x.worker, WORKER_KINDS)) && isFarewell(x.farewell)
    ? { instance: x.instance, worker: x.worker, farewell: x.farewell }
    : null;
const readShimBatch = (x: Fields): ShimEvents['batch'] | null =>
  isInstance(x.instance) && isBoundedString(x.body, LIMITS.batchBody) ? { instance: x.instance, body: x.body } : null;

const DIRECTIONS: readonly Direction[] = ['send', 'receive'];
const TYPES: readonly MessageType[] = ['text', 'binary'];

const readWireHeld = (x: unknown): WireHeld | null =>
  isObject(x) &&
  isCount(x.id) &&
  isCount(x.ruleId) &&
  isCount(x.socketId) &&
  isOneOf(x.direction, DIRECTIONS) &&
  isOneOf(x.type, TYPES) &&
  isCount(x.size) &&
  isBoundedString(x.data, HELD_DATA_CHARS) &&
  typeof x.truncated === 'boolean'
    ? { id: x.id, ruleId: x.ruleId, socketId: x.socketId, direction: x.direction, type: x.type, size: x.size, data: x.data, truncated: x.truncated }
    : null;

/** Each item of a list a shim sent, read: null if there are more than `max`, or one does not read. */
function readList<T>(items: unknown, max: number, read: (x: unknown) => T | null): T[] | null {
  if (!Array.isArray(items) || items.length > max) return null;
  const list: T[] = [];
  for (const entry of items) {
    const item = read(entry);
    if (!item) return null;
    list.push(item);
  }
  return list;
}

function readHeld(x: Fields): ShimEvents['held'] | null {
  const messages = readList(x.messages, HELD_LISTED, readWireHeld);
  return isInstance(x.instance) && messages && isCount(x.more) ? { instance: x.instance, messages, more: x.more } : null;
}

const STARTED_KINDS: readonly WireWorker['kind'][] = ['dedicated', 'shared'];
const WORKER_STATUSES: readonly WorkerStatus[] = ['captured', 'not-captured', 'unknown'];

const readWireWorker = (x: unknown): WireWorker | null =>
  isObject(x) && isOneOf(x.kind, STARTED_KINDS) && (x.url === null || isBoundedString(x.url, WORKER_URL_CHARS)) && isOneOf(x.status, WORKER_STATUSES)
    ? { kind: x.kind, url: x.url, status: x.status }
    : null;

function readWorkers(x: Fields): ShimEvents['workers'] | null {
  const workers = readList(x.workers, WORKERS_LISTED, readWireWorker);
  return isInstance(x.instance) && workers && isCount(x.more) ? { instance: x.instance, workers, more: x.more } : null;
}

const readRefused = (x: Fields): ShimEvents['refused'] | null =>
  isTarget(x) && isOneOf(x.action, TALK_ACTIONS) && isBoundedString(x.reason, REFUSAL_CHARS) ? { ...target(x), action: x.action, reason: x.reason } : null;

/** `read`'s fields, with the frame the background says they came from. */
const fromFrame =
  <T>(read: (x: Fields) => T | null) =>
  (x: Fields): (T & FromFrame) | null => {
    const fields = Number.isSafeInteger(x.frameId) ? read(x) : null;
    return fields && { ...fields, frameId: x.frameId as number };
  };

/**
 * The bridge's check of what the page world says: the envelope's shape and
 * the body's length, nothing per message (the panel checks those).
 */
export const readShimEvent = reader<ShimEvents>({ hello: readShimHello, batch: readShimBatch, refused: readRefused, held: readHeld, workers: readWorkers });

/** Commands reach the bridge from the background, which passes on only what the panel sent and it checked. */
export const readContentCommand = reader<ContentCommands>({ ...SOCKET_COMMANDS, subscribe: readSeqMarks, unsubscribe: () => ({}) });

export const readPanelCommand = reader<PanelCommands>({
  ...SOCKET_COMMANDS,
  attach: (x) => (isCount(x.tabId) ? { tabId: x.tabId } : null),
  subscribe: readSeqMarks,
});

/** Headers a handshake carries, and the characters of each name and value. */
export const HANDSHAKE_HEADERS = 64;
export const HEADER_CHARS = 1_024;
const REQUEST_ID_CHARS = 64;

const readHeaders = (x: unknown): Header[] | null =>
  Array.isArray(x) && x.length <= HANDSHAKE_HEADERS && x.every((h) => Array.isArray(h) && h.length === 2 && isBoundedString(h[0], HEADER_CHARS) && isBoundedString(h[1], HEADER_CHARS))
    ? x.map(([name, value]: Header) => [name, value] as Header)
    : null;

function readHandshake(x: unknown): Handshake | null {
  if (!isObject(x)) return null;
  const requestHeaders = readHeaders(x.requestHeaders);
  const responseHeaders = readHeaders(x.responseHeaders);
  const fields =
    isBoundedString(x.requestId, REQUEST_ID_CHARS) &&
    isBoundedString(x.url, LIMITS.string) &&
    Number.isSafeInteger(x.frameId) &&
    isTime(x.at) &&
    (x.status === null || isCount(x.status)) &&
    (x.error === null || isBoundedString(x.error, LIMITS.string));
  if (!fields || !requestHeaders || !responseHeaders) return null;
  return { requestId: x.requestId as string, url: x.url as string, frameId: x.frameId as number, at: x.at as number, requestHeaders, status: x.status as number | null, responseHeaders, error: x.error as string | null };
}

export const readPanelEvent = reader<PanelEvents>({
  hello: fromFrame(readShimHello),
  batch: fromFrame(readShimBatch),
  refused: fromFrame(readRefused),
  held: fromFrame(readHeld),
  workers: fromFrame(readWorkers),
  shape: readShape,
  handshake: (x) => {
    const handshake = readHandshake(x.handshake);
    return handshake && { handshake };
  },
});

/** True for the commands the background and the bridge relay to the shims as they are. */
export const isSocketCommand = (command: { type: string }): command is Envelope<SocketCommands> => Object.hasOwn(SOCKET_COMMANDS, command.type);

export const readBackgroundRequest = reader<BackgroundRequests>({
  'origin-option': (x) =>
    isOriginSetting(x.option) && isCount(x.tabId) && (x.enabled === undefined || typeof x.enabled === 'boolean')
      ? { option: x.option, tabId: x.tabId, ...(x.enabled === undefined ? {} : { enabled: x.enabled }) }
      : null,
});
