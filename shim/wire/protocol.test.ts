import { describe, expect, it } from 'vitest';
import { decodeSourceMessage, LIMITS, parseShimMessage, PROTOCOL_VERSION, SAMPLE_FIELDS, type Frame, type SocketInfo, type WireFrame, type WireSample } from './protocol';

const socket: SocketInfo = {
  id: 1, kind: 'WebSocket', provided: false, overStream: false, shaped: false, url: 'ws://127.0.0.1/', protocols: ['a'], frameUrl: 'http://127.0.0.1/',
  readyState: 1, protocol: 'a', extensions: '', createdAt: 1, openedAt: 2, closedAt: null, error: false,
  closeCode: null, closeReason: '', wasClean: null, sent: 1, received: 0, sentBytes: 2, receivedBytes: 0, dropped: 0,
};
const frame: Frame = { seq: 1, socketId: 1, direction: 'send', type: 'text', size: 2, data: 'hi', truncated: false, time: 3 };
const wire: WireFrame = [1, 1, 'send', 'text', 2, 'hi', false, 3];
const sample: WireSample = [1, 1000, 250, ...SAMPLE_FIELDS.slice(2).map((_, i) => i)];

const body = (sockets: unknown[] = [socket], frames: unknown[] = [wire]) => JSON.stringify({ sockets, frames });
const batch = (extra: object = {}) => ({ v: PROTOCOL_VERSION, type: 'batch', instance: 'abc123', body: body(), ...extra });
/** As the background forwards it to the panel. */
const source = (extra: object = {}) => ({ ...batch(extra), frameId: 0 });

describe('parseShimMessage (the bridge)', () => {
  it('accepts a hello and a batch, copying only known fields', () => {
    expect(parseShimMessage({ v: PROTOCOL_VERSION, type: 'hello', instance: 'abc', frameUrl: 'x', evil: 1 })).toEqual({
      v: PROTOCOL_VERSION, type: 'hello', instance: 'abc', frameUrl: 'x',
    });
    expect(parseShimMessage(batch({ extra: 'no' }))).toEqual(batch());
  });

  it('rejects wrong versions, shapes, instance names and oversized bodies', () => {
    expect(parseShimMessage(null)).toBeNull();
    expect(parseShimMessage(batch({ v: 99 }))).toBeNull();
    expect(parseShimMessage(batch({ instance: '../x' }))).toBeNull();
    expect(parseShimMessage(batch({ type: 'other' }))).toBeNull();
    expect(parseShimMessage(batch({ body: { sockets: [], frames: [] } }))).toBeNull();
    expect(parseShimMessage(batch({ body: 'x'.repeat(LIMITS.batchBody + 1) }))).toBeNull();
  });
});

describe('decodeSourceMessage (the panel)', () => {
  it('decodes a batch into sockets and frames, copying only known socket fields', () => {
    expect(decodeSourceMessage(source({ body: body([{ ...socket, evil: '<b>' }]) }))).toEqual({
      type: 'batch', instance: 'abc123', frameId: 0, sockets: [socket], frames: [frame], samples: [],
    });
    const withSamples = JSON.stringify({ sockets: [], frames: [], samples: [sample] });
    expect(decodeSourceMessage(source({ body: withSamples }))).toMatchObject({ samples: [sample] });
    expect(decodeSourceMessage({ v: PROTOCOL_VERSION, type: 'hello', instance: 'abc', frameUrl: 'x', frameId: 3 })).toEqual({
      v: PROTOCOL_VERSION, type: 'hello', instance: 'abc', frameUrl: 'x', frameId: 3,
    });
  });

  it('rejects a batch with any malformed field', () => {
    const withFrame = (patch: (f: unknown[]) => void) => {
      const f: unknown[] = [...wire];
      patch(f);
      return source({ body: body([socket], [f]) });
    };
    expect(decodeSourceMessage(batch())).toBeNull(); // no frameId
    expect(decodeSourceMessage(source({ body: 'not json' }))).toBeNull();
    expect(decodeSourceMessage(source({ body: '['.repeat(100_000) + ']'.repeat(100_000) }))).toBeNull();
    expect(decodeSourceMessage(source({ body: '{"sockets":[]}' }))).toBeNull();
    expect(decodeSourceMessage(withFrame((f) => (f[2] = 'sideways')))).toBeNull();
    expect(decodeSourceMessage(withFrame((f) => (f[4] = -1)))).toBeNull();
    expect(decodeSourceMessage(withFrame((f) => f.push('<b>')))).toBeNull();
    expect(decodeSourceMessage(source({ body: body([{ ...socket, readyState: 7 }]) }))).toBeNull();
    expect(decodeSourceMessage(source({ body: body([{ ...socket, protocols: [1] }]) }))).toBeNull();
    const withSample = (patch: (s: unknown[]) => void) => {
      const s: unknown[] = [...sample];
      patch(s);
      return source({ body: JSON.stringify({ sockets: [], frames: [], samples: [s] }) });
    };
    expect(decodeSourceMessage(withSample((s) => (s[5] = -1)))).toBeNull();
    expect(decodeSourceMessage(withSample((s) => (s[5] = '1')))).toBeNull();
    expect(decodeSourceMessage(withSample((s) => s.pop()))).toBeNull();
    expect(decodeSourceMessage(withSample((s) => (s[0] = 1.5)))).toBeNull();
  });

  it('bounds every size', () => {
    const long = 'x'.repeat(LIMITS.string + 1);
    expect(decodeSourceMessage(source({ body: body([{ ...socket, url: long }]) }))).toBeNull();
    const bigFrame: WireFrame = [1, 1, 'send', 'text', 2, 'x'.repeat(LIMITS.frameData + 1), true, 3];
    expect(decodeSourceMessage(source({ body: body([socket], [bigFrame]) }))).toBeNull();
    expect(decodeSourceMessage(source({ body: body([socket], Array(LIMITS.framesPerBatch + 1).fill(wire)) }))).toBeNull();
    expect(decodeSourceMessage(source({ body: body(Array(LIMITS.socketsPerBatch + 1).fill(socket)) }))).toBeNull();
    const samples = Array(LIMITS.samplesPerBatch + 1).fill(sample);
    expect(decodeSourceMessage(source({ body: JSON.stringify({ sockets: [], frames: [], samples }) }))).toBeNull();
  });
});
