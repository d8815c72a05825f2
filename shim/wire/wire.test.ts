import { describe, expect, it } from 'vitest';
import { HELD_DATA_CHARS, HELD_LISTED, OWN_MESSAGE_BYTES, WIRE_VERSION, WORKER_URL_CHARS, WORKERS_LISTED } from './messages';
import { readContentCommand, readPanelCommand, readPanelEvent, readShimEvent } from './readers';
import { LIMITS, readBatch, SAMPLE_FIELDS, writeBatch, type SocketInfo, type WireMessage, type WireSample } from './records';

const socket: SocketInfo = {
  id: 1, kind: 'WebSocket', provided: false, overStream: false, shaped: false, url: 'ws://127.0.0.1/', protocols: ['a'], frameUrl: 'http://127.0.0.1/', worker: null,
  readyState: 1, protocol: 'a', extensions: '', createdAt: 1, openedAt: 2, closedAt: null, error: false,
  closeCode: null, closeReason: '', wasClean: null, sent: 1, received: 0, sentBytes: 2, receivedBytes: 0, dropped: 0, lastSeq: 0,
};
const wire: WireMessage = [1, 1, 'send', 'text', 2, 'hi', false, 3];
const sample: WireSample = [1, 1000, 250, ...SAMPLE_FIELDS.slice(2).map((_, i) => i)];

const body = (sockets: unknown[] = [socket], messages: unknown[] = [wire], samples: unknown[] = []) => JSON.stringify({ sockets, messages, samples });
const batch = (extra: object = {}) => ({ v: WIRE_VERSION, type: 'batch', instance: 'abc123', body: body(), ...extra });
/** As the background forwards it to the panel. */
const source = (extra: object = {}) => ({ ...batch(extra), frameId: 0 });

/** The panel's reading of what the background forwards: the envelope, then the batch body, every field checked. */
function panelReads(x: unknown) {
  const event = readPanelEvent(x);
  if (event?.type !== 'batch') return event;
  const read = readBatch(event.body);
  return read && { type: 'batch', instance: event.instance, frameId: event.frameId, ...read };
}

describe('readShimEvent (the bridge)', () => {
  it('accepts a hello and a batch, copying only known fields', () => {
    const farewell = 'sockscope-farewell-x1';
    expect(readShimEvent({ v: WIRE_VERSION, type: 'hello', instance: 'abc', worker: null, farewell, evil: 1 })).toEqual({
      v: WIRE_VERSION, type: 'hello', instance: 'abc', worker: null, farewell,
    });
    expect(readShimEvent({ v: WIRE_VERSION, type: 'hello', instance: 'abc', worker: 'shared', farewell })).toMatchObject({ worker: 'shared' });
    expect(readShimEvent({ v: WIRE_VERSION, type: 'hello', instance: 'abc', worker: 'window', farewell })).toBeNull();
    // The bridge listens for the farewell on the window: never a type the page or the browser dispatches.
    for (const bad of ['click', 'pagehide', 'sockscope-farewell-', 'sockscope-farewell-ABC', undefined])
      expect(readShimEvent({ v: WIRE_VERSION, type: 'hello', instance: 'abc', worker: null, farewell: bad })).toBeNull();
    expect(readShimEvent(batch({ extra: 'no' }))).toEqual(batch());
  });

  it('rejects wrong versions, shapes, instance names and oversized bodies', () => {
    expect(readShimEvent(null)).toBeNull();
    expect(readShimEvent(batch({ v: 99 }))).toBeNull();
    expect(readShimEvent(batch({ instance: '../x' }))).toBeNull();
    expect(readShimEvent(batch({ type: 'other' }))).toBeNull();
    expect(readShimEvent(batch({ body: { sockets: [], messages: [] } }))).toBeNull();
    expect(readShimEvent(batch({ body: 'x'.repeat(LIMITS.batchBody + 1) }))).toBeNull();
  });
});

describe("the user's send, inject and close (panel → shim)", () => {
  const command = (type: string, extra: object) => ({ v: WIRE_VERSION, type, instance: 'abc', socketId: 3, ...extra });

  it('carries text or base64 to send or inject, and a close code and reason, copying only known fields', () => {
    expect(readPanelCommand(command('send', { data: 'hi', evil: 1 }))).toEqual(command('send', { data: 'hi' }));
    expect(readContentCommand(command('inject', { data: { base64: 'AAEC', evil: 1 } }))).toEqual(command('inject', { data: { base64: 'AAEC' } }));
    expect(readPanelCommand(command('close', { code: 4001, reason: 'bye' }))).toEqual(command('close', { code: 4001, reason: 'bye' }));
    expect(readPanelCommand(command('close', { code: null, reason: '' }))).toEqual(command('close', { code: null, reason: '' }));
  });

  it('refuses data that is neither text nor base64, over the bound, or a close that cannot be one', () => {
    for (const data of [1, null, { base64: 'AAE' }, { base64: 'A*==' }, 'x'.repeat(OWN_MESSAGE_BYTES + 1)]) expect(readPanelCommand(command('send', { data }))).toBeNull();
    expect(readPanelCommand(command('send', { data: 'hi', socketId: -1 }))).toBeNull();
    for (const code of [70_000, 1.5, '1000']) expect(readPanelCommand(command('close', { code, reason: '' }))).toBeNull();
    expect(readPanelCommand(command('close', { code: 1000, reason: 'x'.repeat(124) }))).toBeNull();
  });

  it("reads the shim's refusal, bounded, on both sides of the background", () => {
    const refused = { v: WIRE_VERSION, type: 'refused', instance: 'abc', socketId: 3, action: 'send', reason: 'send: socket 3 is not open' };
    expect(readShimEvent(refused)).toEqual(refused);
    expect(readPanelEvent({ ...refused, frameId: 0 })).toEqual({ ...refused, frameId: 0 });
    expect(readShimEvent({ ...refused, action: 'drop' })).toBeNull();
    expect(readShimEvent({ ...refused, reason: 'x'.repeat(1001) })).toBeNull();
  });
});

describe('breakpoints: the held list (shim → panel) and a release (panel → shim)', () => {
  const message = { id: 7, ruleId: 2, socketId: 3, direction: 'send', type: 'text', size: 2, data: 'hi', truncated: false };
  const held = { v: WIRE_VERSION, type: 'held', instance: 'abc', messages: [message], more: 0 };
  const release = (extra: object) => ({ v: WIRE_VERSION, type: 'release', instance: 'abc', id: 7, data: null, drop: false, ...extra });

  it('carries the held messages, copying only known fields, on both sides of the background', () => {
    expect(readShimEvent({ ...held, messages: [{ ...message, evil: 1 }] })).toEqual(held);
    expect(readPanelEvent({ ...held, frameId: 0 })).toEqual({ ...held, frameId: 0 });
  });

  it('refuses a list over HELD_LISTED, data over HELD_DATA_CHARS, or any malformed message', () => {
    expect(readShimEvent({ ...held, messages: Array(HELD_LISTED + 1).fill(message) })).toBeNull();
    expect(readShimEvent({ ...held, messages: [{ ...message, data: 'x'.repeat(HELD_DATA_CHARS + 1) }] })).toBeNull();
    for (const bad of [{ direction: 'up' }, { type: 'blob' }, { id: -1 }, { truncated: 'no' }]) expect(readShimEvent({ ...held, messages: [{ ...message, ...bad }] })).toBeNull();
    expect(readShimEvent({ ...held, more: -1 })).toBeNull();
  });

  it('releases as it is, edited (text or base64), or dropped; never edited and dropped at once', () => {
    expect(readPanelCommand(release({ evil: 1 }))).toEqual(release({}));
    expect(readContentCommand(release({ data: { base64: 'AAEC' } }))).toEqual(release({ data: { base64: 'AAEC' } }));
    expect(readPanelCommand(release({ drop: true }))).toEqual(release({ drop: true }));
    expect(readPanelCommand(release({ data: 'x', drop: true }))).toBeNull();
    expect(readPanelCommand(release({ data: 5 }))).toBeNull();
    expect(readPanelCommand(release({ drop: 'yes' }))).toBeNull();
  });
});

describe('the workers a realm started (shim → panel)', () => {
  const worker = { kind: 'shared', url: '/w.js', status: 'not-captured' };
  const workers = { v: WIRE_VERSION, type: 'workers', instance: 'abc', workers: [worker, { kind: 'dedicated', url: null, status: 'unknown' }], more: 3 };

  it('carries each worker, copying only known fields, on both sides of the background', () => {
    expect(readShimEvent({ ...workers, evil: 1, workers: workers.workers.map((w) => ({ ...w, evil: '<b>' })) })).toEqual(workers);
    expect(readPanelEvent({ ...workers, frameId: 2 })).toEqual({ ...workers, frameId: 2 });
    expect(readPanelEvent(workers)).toBeNull(); // no frameId
  });

  it('refuses a list over WORKERS_LISTED, a URL over WORKER_URL_CHARS, unknown kinds or statuses', () => {
    expect(readShimEvent({ ...workers, workers: Array(WORKERS_LISTED).fill(worker) })).not.toBeNull();
    expect(readShimEvent({ ...workers, workers: Array(WORKERS_LISTED + 1).fill(worker) })).toBeNull();
    expect(readShimEvent({ ...workers, workers: [{ ...worker, url: 'x'.repeat(WORKER_URL_CHARS) }] })).not.toBeNull();
    expect(readShimEvent({ ...workers, workers: [{ ...worker, url: 'x'.repeat(WORKER_URL_CHARS + 1) }] })).toBeNull();
    for (const bad of [{ kind: 'service' }, { status: 'captured!' }, { url: 1 }, { url: undefined }]) expect(readShimEvent({ ...workers, workers: [{ ...worker, ...bad }] })).toBeNull();
    expect(readShimEvent({ ...workers, workers: [null] })).toBeNull();
    expect(readShimEvent({ ...workers, workers: 'all' })).toBeNull();
    expect(readShimEvent({ ...workers, more: -1 })).toBeNull();
    expect(readShimEvent({ ...workers, instance: '<b>' })).toBeNull();
  });
});

describe('readPanelEvent and readBatch (the panel)', () => {
  it('decodes a batch into sockets and messages, copying only known socket fields', () => {
    expect(panelReads(source({ body: body([{ ...socket, evil: '<b>' }]) }))).toEqual({
      type: 'batch', instance: 'abc123', frameId: 0, sockets: [socket], messages: [wire], samples: [],
    });
    const marked: WireMessage = [2, 1, 'receive', 'text', 2, 'hi', false, 4, 'injected'];
    expect(panelReads(source({ body: body([socket], [wire, marked]) }))).toMatchObject({ messages: [wire, marked] });
    const withSamples = body([], [], [sample]);
    expect(panelReads(source({ body: withSamples }))).toMatchObject({ samples: [sample] });
    expect(panelReads({ v: WIRE_VERSION, type: 'hello', instance: 'abc', worker: 'dedicated', farewell: 'sockscope-farewell-x1', frameId: 3 })).toEqual({
      v: WIRE_VERSION, type: 'hello', instance: 'abc', worker: 'dedicated', farewell: 'sockscope-farewell-x1', frameId: 3,
    });
    expect(panelReads(source({ body: body([{ ...socket, worker: 'service' }]) }))).toMatchObject({ sockets: [{ worker: 'service' }] });
    expect(panelReads(source({ body: body([{ ...socket, worker: 'window' }]) }))).toBeNull();
  });

  it('rejects a batch with any malformed field', () => {
    const withMessage = (patch: (f: unknown[]) => void) => {
      const f: unknown[] = [...wire];
      patch(f);
      return source({ body: body([socket], [f]) });
    };
    expect(panelReads(batch())).toBeNull(); // no frameId
    expect(panelReads(source({ body: 'not json' }))).toBeNull();
    expect(panelReads(source({ body: '['.repeat(100_000) + ']'.repeat(100_000) }))).toBeNull();
    expect(panelReads(source({ body: '{"sockets":[]}' }))).toBeNull();
    expect(panelReads(withMessage((f) => (f[2] = 'sideways')))).toBeNull();
    expect(panelReads(withMessage((f) => (f[4] = -1)))).toBeNull();
    expect(panelReads(withMessage((f) => f.push('<b>')))).toBeNull();
    expect(panelReads(withMessage((f) => f.push('sent', 'extra')))).toBeNull();
    expect(panelReads(withMessage((f) => f.push(null)))).toBeNull();
    expect(panelReads(source({ body: body([{ ...socket, readyState: 7 }]) }))).toBeNull();
    expect(panelReads(source({ body: body([{ ...socket, protocols: [1] }]) }))).toBeNull();
    const withSample = (patch: (s: unknown[]) => void) => {
      const s: unknown[] = [...sample];
      patch(s);
      return source({ body: body([], [], [s]) });
    };
    expect(panelReads(withSample((s) => (s[5] = -1)))).toBeNull();
    expect(panelReads(withSample((s) => (s[5] = '1')))).toBeNull();
    expect(panelReads(withSample((s) => s.pop()))).toBeNull();
    expect(panelReads(withSample((s) => (s[0] = 1.5)))).toBeNull();
  });

  it('bounds every size', () => {
    const long = 'x'.repeat(LIMITS.string + 1);
    expect(panelReads(source({ body: body([{ ...socket, url: long }]) }))).toBeNull();
    const bigMessage: WireMessage = [1, 1, 'send', 'text', 2, 'x'.repeat(LIMITS.messageData + 1), true, 3];
    expect(panelReads(source({ body: body([socket], [bigMessage]) }))).toBeNull();
    expect(panelReads(source({ body: body([socket], Array(LIMITS.messagesPerBatch + 1).fill(wire)) }))).toBeNull();
    expect(panelReads(source({ body: body(Array(LIMITS.socketsPerBatch + 1).fill(socket)) }))).toBeNull();
    const samples = Array(LIMITS.samplesPerBatch + 1).fill(sample);
    expect(panelReads(source({ body: body([], [], samples) }))).toBeNull();
  });
});

describe('writeBatch (the shim)', () => {
  it('writes the lists the panel reads, in order, as one JSON object', () => {
    const text = writeBatch({ sockets: JSON.stringify(socket), messages: [wire, wire].map((f) => JSON.stringify(f)).join(','), samples: JSON.stringify(sample) });
    expect(JSON.parse(text)).toEqual({ sockets: [socket], messages: [wire, wire], samples: [sample] });
    expect(readBatch(text)).toEqual({ sockets: [socket], messages: [wire, wire], samples: [sample] });
    expect(readBatch(writeBatch({ sockets: '', messages: '', samples: '' }))).toEqual({ sockets: [], messages: [], samples: [] });
  });

  it('rejects a body without any of the lists', () => {
    for (const list of ['sockets', 'messages', 'samples']) {
      const parts: Record<string, unknown[]> = { sockets: [], messages: [], samples: [] };
      delete parts[list];
      expect(readBatch(JSON.stringify(parts))).toBeNull();
    }
  });
});
