// Each invariant against hand-made traces: a delayed trace that keeps it, and one that breaks it.
import { describe, expect, test } from 'vitest';
import { checkInvariants, describeViolations, type InvariantName } from './invariants';
import type { TraceEntry } from './page-tools';

const READY_STATE = { open: 1, message: 1, error: 3, close: 3 } as const;

/** An event as `t.watch` logs it. */
function event(type: keyof typeof READY_STATE, fields: Record<string, unknown> = {}, socket = 'ws'): TraceEntry {
  const value: Record<string, unknown> = { type, class: 'Event', isTrusted: true, phase: 2, readyState: READY_STATE[type], bufferedAmount: 0, ...fields };
  return { label: `${socket} ${type}`, value };
}
const message = (data: string, socket = 'ws', fields: Record<string, unknown> = {}) => event('message', { class: 'MessageEvent', data, ...fields }, socket);
const close = (code = 1000, socket = 'ws', fields: Record<string, unknown> = {}) => event('close', { class: 'CloseEvent', code, reason: '', wasClean: true, ...fields }, socket);
const log = (label: string, value: unknown = { $: 'undefined' }): TraceEntry => ({ label, value });

/** Names of the invariants the delayed trace breaks. */
const broken = (native: TraceEntry[], delayed: TraceEntry[], kind: 'websocket' | 'stream' = 'websocket'): InvariantName[] =>
  checkInvariants(native, delayed, kind).map((v) => v.invariant);

const NATIVE = [log('state after new', { readyState: 0 }), event('open'), message('a'), message('b'), close()];

describe('WebSocket traces', () => {
  test('a trace equal to native, and one only timing changed, keep every invariant', () => {
    expect(broken(NATIVE, NATIVE)).toEqual([]);
    const untrusted = NATIVE.map((e) => (e.label.startsWith('ws ') ? { ...e, value: { ...(e.value as object), isTrusted: false, bufferedAmount: 7 } } : e));
    expect(broken(NATIVE, untrusted)).toEqual([]);
  });

  test('open: twice, after a message, or not OPEN', () => {
    expect(broken(NATIVE, [NATIVE[0], event('open'), event('open'), message('a'), message('b'), close()])).toContain('open');
    expect(broken(NATIVE, [NATIVE[0], message('a'), event('open'), message('b'), close()])).toContain('open');
    expect(broken(NATIVE, [NATIVE[0], event('open', { readyState: 0 }), message('a'), message('b'), close()])).toContain('open');
  });

  test('message: after close() (CLOSING) or after close', () => {
    expect(broken(NATIVE, [NATIVE[0], event('open'), message('a'), message('b', 'ws', { readyState: 2 }), close()])).toEqual(['message', 'messages']);
    expect(broken(NATIVE, [NATIVE[0], event('open'), message('a'), close(), message('b', 'ws', { readyState: 3 })])).toEqual(['message', 'close', 'messages']);
  });

  test('close: twice, not last, or not CLOSED', () => {
    expect(broken(NATIVE, [...NATIVE, close()])).toContain('close');
    expect(broken(NATIVE, [NATIVE[0], event('open'), message('a'), message('b'), close(1000, 'ws', { readyState: 2 })])).toEqual(['close', 'ending']);
  });

  test('error: not right before close, twice, or not CLOSED', () => {
    const native = [event('error'), close(1006, 'ws', { wasClean: false })];
    expect(broken(native, native)).toEqual([]);
    expect(broken(native, [event('error'), event('error'), close(1006, 'ws', { wasClean: false })])).toContain('error');
    expect(broken(native, [event('error', { readyState: 1 }), close(1006, 'ws', { wasClean: false })])).toContain('error');
    expect(broken(NATIVE, [NATIVE[0], event('open'), message('a'), event('error'), message('b'), close()])).toContain('error');
  });

  test("messages: a prefix of native's passes; one added, reordered or changed does not", () => {
    expect(broken(NATIVE, [NATIVE[0], event('open'), message('a'), close()])).toEqual([]);
    expect(broken(NATIVE, [NATIVE[0], event('open'), message('a'), message('b'), message('c'), close()])).toEqual(['messages']);
    expect(broken(NATIVE, [NATIVE[0], event('open'), message('b'), message('a'), close()])).toEqual(['messages']);
    expect(broken(NATIVE, [NATIVE[0], event('open'), message('a', 'ws', { origin: 'elsewhere' }), message('b'), close()])).toEqual(['messages']);
  });

  test("each socket's events are checked on their own: sockets may interleave differently", () => {
    const native = [event('open', {}, 'a'), event('open', {}, 'b'), message('1', 'a'), message('2', 'b'), close(1000, 'a'), close(1000, 'b')];
    const interleaved = [event('open', {}, 'b'), message('2', 'b'), event('open', {}, 'a'), close(1000, 'b'), message('1', 'a'), close(1000, 'a')];
    expect(broken(native, interleaved)).toEqual([]);
    expect(broken(native, [native[0], native[1], message('2', 'a'), message('1', 'b'), native[4], native[5]])).toEqual(['messages', 'messages']);
  });

  test('events the page dispatched itself are set aside, matched against native\'s untrusted ones', () => {
    const forged = [event('open', { isTrusted: false, cancelable: true }), close(4444, 'ws', { isTrusted: false, readyState: 1 })];
    const native = [event('open'), ...forged, message('a'), close()];
    const copy = message('a', 'ws', { isTrusted: false });
    expect(broken(native, [event('open'), ...forged, copy, close()])).toEqual([]);
    // A copy the page did not dispatch is the shim's: it counts.
    expect(broken(native, [event('open'), ...forged, copy, message('a', 'ws', { isTrusted: false }), close()])).toEqual(['messages']);
  });

  test('ending: a different close, an error native did not have, no open, no close', () => {
    expect(broken(NATIVE, [NATIVE[0], event('open'), message('a'), message('b'), close(4000)])).toEqual(['ending']);
    expect(broken(NATIVE, [NATIVE[0], event('open'), message('a'), message('b'), event('error'), close()])).toEqual(['ending']);
    expect(broken(NATIVE, [NATIVE[0], message('a'), message('b'), close()])).toEqual(['ending']);
    expect(broken(NATIVE, [NATIVE[0], event('open'), message('a'), message('b')])).toEqual(['ending']);
  });

  test('prelude: what the page logged before the first event', () => {
    expect(broken(NATIVE, [log('state after new', { readyState: 1 }), ...NATIVE.slice(1)])).toEqual(['prelude']);
    expect(broken(NATIVE, NATIVE.slice(1))).toEqual(['prelude']);
    const noEvents = [log('bufferedAmount', 3), log('echo', 'x')];
    expect(broken(noEvents, [log('bufferedAmount', 3), log('echo', 'y')])).toEqual(['prelude']);
  });

  test("calls: return values and thrown errors, in native's order", () => {
    const threw = log('close threw', { $: 'error', name: 'SyntaxError' });
    const native = [event('open'), threw, log('send returned'), close()];
    expect(broken(native, [event('open'), log('right after', 2), threw, log('send returned'), close()])).toEqual([]);
    expect(broken(native, [event('open'), log('close returned'), log('send returned'), close()])).toEqual(['calls']);
    expect(broken(native, [event('open'), log('send returned'), threw, close()])).toEqual(['calls']);
    expect(broken(native, [event('open'), threw, close()])).toEqual(['calls']);
  });
});

describe('WebSocketStream traces', () => {
  const read = (value: unknown, done = false) => ({ done, value });
  const NATIVE_STREAM = [
    log('opened', { protocol: '' }),
    log('read', { value: read('a') }),
    log('read', read('b')),
    log('closed', { value: { closeCode: 1000, reason: '' } }),
    log('closed after a plain close()', { value: { closeCode: 1000, reason: '' } }),
  ];

  test('a trace equal to native keeps every invariant', () => {
    expect(broken(NATIVE_STREAM, NATIVE_STREAM, 'stream')).toEqual([]);
  });

  test("steps: native's labels in native's order", () => {
    expect(broken(NATIVE_STREAM, [NATIVE_STREAM[0], NATIVE_STREAM[1], NATIVE_STREAM[3], NATIVE_STREAM[2], NATIVE_STREAM[4]], 'stream')).toContain('steps');
  });

  test("reads: native's values in order, none before opened", () => {
    const swapped = [NATIVE_STREAM[0], log('read', { value: read('b') }), log('read', read('a')), ...NATIVE_STREAM.slice(3)];
    expect(broken(NATIVE_STREAM, swapped, 'stream')).toEqual(['reads']);
    const early = [log('read', { value: read('a') }), log('opened', { protocol: '' }), ...NATIVE_STREAM.slice(2)];
    expect(broken(NATIVE_STREAM, early, 'stream')).toEqual(['steps', 'reads']);
  });

  test("closed: settles once, as native's", () => {
    const twice = [...NATIVE_STREAM.slice(0, 4), log('closed after a plain close()', { error: { $: 'error', name: 'WebSocketError' } })];
    expect(broken(NATIVE_STREAM, twice, 'stream')).toEqual(['closed']);
    const other = [...NATIVE_STREAM.slice(0, 3), ...[3, 4].map((i) => log(NATIVE_STREAM[i].label, { value: { closeCode: 4000, reason: '' } }))];
    expect(broken(NATIVE_STREAM, other, 'stream')).toEqual(['closed']);
    const pending = [...NATIVE_STREAM.slice(0, 4), log('closed after a plain close()', 'still pending')];
    expect(broken(NATIVE_STREAM, pending, 'stream')).toEqual([]);
  });
});

test('a violation names the scenario, the invariant and the offending entries', () => {
  const delayed = [NATIVE[0], event('open'), message('a'), message('b', 'ws', { readyState: 2 }), close()];
  const text = describeViolations('echo', checkInvariants(NATIVE, delayed, 'websocket'));
  expect(text).toContain('echo: message fires only while readyState is OPEN');
  expect(text).toContain('delayed[3] ws message: {"type":"message"');
});
