// What a trace taken under real delays must still satisfy. Shaping moves
// events later, so such a trace cannot equal native's; it must stay a trace
// the standard allows (WHATWG WebSockets) and carry what native's carries.
// Pure: a scenario's native trace and its delayed trace in, violations out.
//
// A `WebSocket` event is an entry `t.watch` logged: label `<socket> <type>`,
// value the event's description with the socket's state at that moment.
// Events the page dispatched itself are set aside: the browser's own are
// trusted, so native's untrusted events are the page's, and the delayed
// trace's untrusted events equal to them are the same dispatches (held
// copies, also untrusted, carry the browser's events' fields).
import type { TraceEntry } from './page-tools';

/** A broken invariant, with the entries that break it (index into the delayed trace, or native's where said). */
export interface Violation {
  invariant: InvariantName;
  detail: string;
  entries: { trace: 'delayed' | 'native'; index: number; entry: TraceEntry }[];
}

export const INVARIANTS = {
  open: 'open fires at most once, before any message, with readyState OPEN',
  message: 'message fires only while readyState is OPEN: never after close() was called, never after close',
  close: "close fires at most once, as the socket's last event, with readyState CLOSED",
  error: 'error fires at most once, with readyState CLOSED, right before close',
  messages: "the socket's messages are an in-order prefix of native's, each as native's (isTrusted and bufferedAmount aside)",
  ending: 'the socket opens if native opened, and ends as native ended: the same error and close (isTrusted and bufferedAmount aside)',
  prelude: "what the page logged before the first event equals native's",
  calls: "the page's calls return and throw as native's, in native's order",
  steps: "a stream scenario takes native's steps in native's order (the same labels)",
  reads: "stream read results are native's, in native's order, none before opened settled",
  closed: "a stream's closed promise settles once, as native's: each settled outcome logged is native's",
} as const;

export type InvariantName = keyof typeof INVARIANTS;

/** Fields that timing changes legitimately: held copies are untrusted, `bufferedAmount` counts sends the up link still holds. */
const TIMING_FIELDS = new Set(['isTrusted', 'bufferedAmount']);
const EVENT_TYPES = ['open', 'message', 'error', 'close'] as const;
type EventType = (typeof EVENT_TYPES)[number];
const OPEN = 1;
const CLOSED = 3;

interface SocketEvent {
  index: number;
  entry: TraceEntry;
  type: EventType;
  fields: Record<string, unknown>;
}

type Trace = readonly TraceEntry[];

/** `kind`: a stream scenario has no events to order; its steps and read results are checked instead. */
export function checkInvariants(native: Trace, delayed: Trace, kind: 'websocket' | 'stream'): Violation[] {
  const calls = checkCalls(native, delayed);
  // A stream scenario's values are all awaited: no prelude to compare, its steps instead.
  if (kind === 'stream') return [...calls, ...checkSteps(native, delayed), ...checkReads(native, delayed), ...checkClosed(native, delayed)];
  const violations = [...checkPrelude(native, delayed), ...calls];
  const forged = pageDispatched(native);
  const mine = eventsBySocket(delayed, forged);
  const theirs = eventsBySocket(native, forged);
  for (const socket of new Set([...mine.keys(), ...theirs.keys()])) {
    const events = mine.get(socket) ?? [];
    violations.push(...checkLifecycle(socket, events), ...checkAgainstNative(socket, events, theirs.get(socket) ?? []));
  }
  return violations;
}

/** One line per violation, naming the scenario, the invariant and the offending entries. */
export function describeViolations(scenario: string, violations: readonly Violation[]): string {
  return violations
    .map(({ invariant, detail, entries }) =>
      [
        `${scenario}: ${INVARIANTS[invariant]}: ${detail}`,
        ...entries.map(({ trace, index, entry }) => `    ${trace}[${index}] ${entry.label}: ${clip(JSON.stringify(entry.value))}`),
      ].join('\n'),
    )
    .join('\n');
}

// WebSocket events, against the standard.

function checkLifecycle(socket: string, events: SocketEvent[]): Violation[] {
  const out: Violation[] = [];
  const of = (type: EventType) => events.filter((e) => e.type === type);
  const opens = of('open');
  if (opens.length > 1) out.push(violation('open', `${socket} opened ${opens.length} times`, opens));
  const firstMessage = events.findIndex((e) => e.type === 'message');
  const lateOpen = opens.find((open) => firstMessage !== -1 && open.index > events[firstMessage].index);
  if (lateOpen) out.push(violation('open', `${socket} opened after a message`, [events[firstMessage], lateOpen]));
  for (const open of opens) if (open.fields.readyState !== OPEN) out.push(violation('open', `readyState ${String(open.fields.readyState)}`, [open]));

  for (const message of of('message')) {
    if (message.fields.readyState !== OPEN) out.push(violation('message', `${socket} got a message at readyState ${String(message.fields.readyState)}`, [message]));
  }

  const closes = of('close');
  if (closes.length > 1) out.push(violation('close', `${socket} closed ${closes.length} times`, closes));
  if (closes.length > 0 && events[events.length - 1] !== closes[0]) {
    out.push(violation('close', `${socket} had events after its close`, events.slice(events.indexOf(closes[0]))));
  }
  for (const close of closes) if (close.fields.readyState !== CLOSED) out.push(violation('close', `readyState ${String(close.fields.readyState)}`, [close]));

  const errors = of('error');
  if (errors.length > 1) out.push(violation('error', `${socket} got ${errors.length} errors`, errors));
  for (const error of errors) {
    const next = events[events.indexOf(error) + 1];
    if (next?.type !== 'close') out.push(violation('error', `${socket}'s error is followed by ${next ? next.type : 'nothing'}, not close`, next ? [error, next] : [error]));
    if (error.fields.readyState !== CLOSED) out.push(violation('error', `readyState ${String(error.fields.readyState)}`, [error]));
  }
  return out;
}

// WebSocket events, against the same scenario's native trace.

function checkAgainstNative(socket: string, events: SocketEvent[], native: SocketEvent[]): Violation[] {
  const out: Violation[] = [];
  const messages = events.filter((e) => e.type === 'message');
  const nativeMessages = native.filter((e) => e.type === 'message');
  for (let i = 0; i < messages.length; i++) {
    const expected = nativeMessages[i];
    if (!expected) {
      out.push(violation('messages', `${socket} got ${messages.length} messages, native ${nativeMessages.length}: these were added`, messages.slice(i)));
      break;
    }
    if (!sameEvent(messages[i], expected)) {
      out.push(violation('messages', `${socket}'s message ${i + 1} differs from native's`, [messages[i], { ...expected, native: true }]));
      break;
    }
  }

  for (const type of ['open', 'error', 'close'] as const) {
    const mine = events.find((e) => e.type === type);
    const theirs = native.find((e) => e.type === type);
    if (theirs && !mine) {
      out.push(violation('ending', `${socket} has no ${type} event where native has one`, [{ ...theirs, native: true }]));
    } else if (mine && !theirs) {
      out.push(violation('ending', `${socket} has a ${type} event where native has none`, [mine]));
    } else if (mine && theirs && !sameEvent(mine, theirs)) {
      out.push(violation('ending', `${socket}'s ${type} event differs from native's`, [mine, { ...theirs, native: true }]));
    }
  }
  return out;
}

function sameEvent(a: SocketEvent, b: SocketEvent): boolean {
  const keys = new Set([...Object.keys(a.fields), ...Object.keys(b.fields)]);
  for (const key of keys) if (!TIMING_FIELDS.has(key) && !equal(a.fields[key], b.fields[key])) return false;
  return true;
}

// Synchronous results and the page's calls.

function checkPrelude(native: Trace, delayed: Trace): Violation[] {
  const end = firstEventIndex(native);
  for (let i = 0; i < end; i++) {
    if (!delayed[i] || !equal(delayed[i], native[i])) {
      return [violationAt('prelude', `entry ${i} differs (native logged ${end} entries before its first event)`, delayed, native, i)];
    }
  }
  return [];
}

/** Entries `t.attempt` and `t.attemptName` log: a call's return value or thrown error. */
const CALL = / (returned|threw)$/;

function checkCalls(native: Trace, delayed: Trace): Violation[] {
  const calls = (trace: Trace) => trace.map((entry, index) => ({ entry, index })).filter(({ entry }) => CALL.test(entry.label));
  const mine = calls(delayed);
  const theirs = calls(native);
  for (let i = 0; i < Math.max(mine.length, theirs.length); i++) {
    if (!mine[i] || !theirs[i] || !equal(mine[i].entry, theirs[i].entry)) {
      const entries: Violation['entries'] = [];
      if (mine[i]) entries.push({ trace: 'delayed', ...mine[i] });
      if (theirs[i]) entries.push({ trace: 'native', ...theirs[i] });
      return [{ invariant: 'calls', detail: `call result ${i + 1} of ${theirs.length} (native) differs`, entries }];
    }
  }
  return [];
}

// WebSocketStream scenarios.

function checkSteps(native: Trace, delayed: Trace): Violation[] {
  for (let i = 0; i < Math.max(native.length, delayed.length); i++) {
    if (native[i]?.label !== delayed[i]?.label) return [violationAt('steps', `step ${i} is "${delayed[i]?.label}", native's "${native[i]?.label}"`, delayed, native, i)];
  }
  return [];
}

/** A read result as the trace shows it: `{ done, value }`, or `{ value: { done, value } }` from `t.outcome`. */
function readResult(value: unknown): Record<string, unknown> | null {
  const isRead = (v: unknown): v is Record<string, unknown> =>
    isRecord(v) && Object.keys(v).length === 2 && typeof v.done === 'boolean' && 'value' in v;
  if (isRead(value)) return value;
  if (isRecord(value) && Object.keys(value).length === 1 && isRead(value.value)) return value.value;
  return null;
}

function checkReads(native: Trace, delayed: Trace): Violation[] {
  const reads = (trace: Trace) => trace.map((entry, index) => ({ entry, index, read: readResult(entry.value) })).filter((r) => r.read !== null);
  const mine = reads(delayed);
  const theirs = reads(native);
  const out: Violation[] = [];
  const opened = delayed.findIndex((entry) => entry.label === 'opened');
  const early = mine.filter((r) => opened !== -1 && r.index < opened);
  if (early.length > 0) out.push({ invariant: 'reads', detail: 'a read value was logged before opened settled', entries: [...early, { entry: delayed[opened], index: opened }].map((r) => ({ trace: 'delayed', ...r })) });
  for (let i = 0; i < Math.max(mine.length, theirs.length); i++) {
    if (!mine[i] || !theirs[i] || !equal(mine[i].read, theirs[i].read)) {
      const entries: Violation['entries'] = [];
      if (mine[i]) entries.push({ trace: 'delayed', index: mine[i].index, entry: mine[i].entry });
      if (theirs[i]) entries.push({ trace: 'native', index: theirs[i].index, entry: theirs[i].entry });
      out.push({ invariant: 'reads', detail: `read ${i + 1} differs from native's (${theirs.length} reads natively, ${mine.length} here)`, entries });
      break;
    }
  }
  return out;
}

/** Labels under which the stream scenarios log `stream.closed`'s outcome. */
const CLOSED_LABEL = /^closed\b/;

/**
 * The entries at the same step (checkSteps) log the same promise: where both
 * settled, the same outcome. (Which stream a label means only the scenario
 * knows; a settled promise never changes, so native's outcome is the one.)
 */
function checkClosed(native: Trace, delayed: Trace): Violation[] {
  const settled = (entry: TraceEntry | undefined) => entry !== undefined && CLOSED_LABEL.test(entry.label) && entry.value !== 'still pending';
  for (let i = 0; i < delayed.length; i++) {
    if (settled(delayed[i]) && settled(native[i]) && native[i].label === delayed[i].label && !equal(delayed[i].value, native[i].value)) {
      return [violationAt('closed', `"${delayed[i].label}" settled otherwise than natively`, delayed, native, i)];
    }
  }
  return [];
}

// Reading traces.

function eventOf(entry: TraceEntry, index: number): SocketEvent & { socket: string } | null {
  const match = / (open|message|error|close)$/.exec(entry.label);
  if (!match || !isRecord(entry.value)) return null;
  const fields = entry.value;
  // `t.watch` describes the event: its type, trust and phase among the rest.
  if (fields.type !== match[1] || !('isTrusted' in fields) || !('phase' in fields)) return null;
  return { socket: entry.label.slice(0, match.index), index, entry, type: match[1] as EventType, fields };
}

/** Native's untrusted events, as keys: what the page dispatched itself. */
function pageDispatched(native: Trace): string[] {
  return native.flatMap((entry, index) => {
    const event = eventOf(entry, index);
    return event && event.fields.isTrusted === false ? [forgeryKey(entry)] : [];
  });
}

const forgeryKey = (entry: TraceEntry): string => JSON.stringify([entry.label, { ...(entry.value as object), bufferedAmount: null }]);

/** Each socket's events in order, less those the page dispatched itself (each of `forged` matches one entry). */
function eventsBySocket(trace: Trace, forged: readonly string[]): Map<string, SocketEvent[]> {
  const unmatched = [...forged];
  const sockets = new Map<string, SocketEvent[]>();
  trace.forEach((entry, index) => {
    const event = eventOf(entry, index);
    if (!event) return;
    const forgery = event.fields.isTrusted === false ? unmatched.indexOf(forgeryKey(entry)) : -1;
    if (forgery !== -1) return void unmatched.splice(forgery, 1);
    const { socket, ...rest } = event;
    sockets.set(socket, [...(sockets.get(socket) ?? []), rest]);
  });
  return sockets;
}

function firstEventIndex(trace: Trace): number {
  const index = trace.findIndex((entry, i) => eventOf(entry, i) !== null);
  return index === -1 ? trace.length : index;
}

function violation(invariant: InvariantName, detail: string, events: (SocketEvent & { native?: boolean })[]): Violation {
  return { invariant, detail, entries: events.map(({ index, entry, native }) => ({ trace: native ? 'native' : 'delayed', index, entry })) };
}

function violationAt(invariant: InvariantName, detail: string, delayed: Trace, native: Trace, index: number): Violation {
  const entries: Violation['entries'] = [];
  if (delayed[index]) entries.push({ trace: 'delayed', index, entry: delayed[index] });
  if (native[index]) entries.push({ trace: 'native', index, entry: native[index] });
  return { invariant, detail, entries };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Structural equality of JSON values (traces are JSON). */
function equal(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function clip(text: string | undefined): string {
  return text === undefined ? 'undefined' : text.length > 700 ? `${text.slice(0, 700)}…` : text;
}
