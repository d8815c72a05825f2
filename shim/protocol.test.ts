import { describe, expect, it } from 'vitest';
import { LIMITS, parseShimMessage, PROTOCOL_VERSION, type Frame, type SocketInfo } from './protocol';

const socket: SocketInfo = {
  id: 1, kind: 'WebSocket', url: 'ws://127.0.0.1/', protocols: ['a'], frameUrl: 'http://127.0.0.1/',
  readyState: 1, protocol: 'a', extensions: '', createdAt: 1, openedAt: 2, closedAt: null, error: false,
  closeCode: null, closeReason: '', wasClean: null, sent: 1, received: 0, sentBytes: 2, receivedBytes: 0, dropped: 0,
};
const frame: Frame = { seq: 1, socketId: 1, direction: 'send', type: 'text', size: 2, data: 'hi', truncated: false, time: 3 };
const batch = (extra: object = {}) => ({ v: PROTOCOL_VERSION, type: 'batch', instance: 'abc123', sockets: [socket], frames: [frame], ...extra });

describe('parseShimMessage', () => {
  it('accepts a hello and a batch, copying only known fields', () => {
    expect(parseShimMessage({ v: PROTOCOL_VERSION, type: 'hello', instance: 'abc', frameUrl: 'x', evil: 1 })).toEqual({
      v: PROTOCOL_VERSION, type: 'hello', instance: 'abc', frameUrl: 'x',
    });
    const parsed = parseShimMessage(batch({ extra: 'no' }));
    expect(parsed).toEqual(batch());
    const withExtra = parseShimMessage(batch({ frames: Object.assign([frame], { extra: 'x'.repeat(100) }) }));
    expect(withExtra?.type === 'batch' && Object.keys(withExtra.frames)).toEqual(['0']);
  });

  it('rejects wrong versions, shapes and instance names', () => {
    expect(parseShimMessage(null)).toBeNull();
    expect(parseShimMessage({ ...batch(), v: 99 })).toBeNull();
    expect(parseShimMessage(batch({ instance: '../x' }))).toBeNull();
    expect(parseShimMessage(batch({ type: 'other' }))).toBeNull();
    expect(parseShimMessage(batch({ frames: [{ ...frame, direction: 'sideways' }] }))).toBeNull();
    expect(parseShimMessage(batch({ frames: [{ ...frame, size: -1 }] }))).toBeNull();
    expect(parseShimMessage(batch({ frames: [{ ...frame, html: '<b>' }] }))).toBeNull();
    expect(parseShimMessage(batch({ sockets: [{ ...socket, readyState: 7 }] }))).toBeNull();
    expect(parseShimMessage(batch({ sockets: [{ ...socket, protocols: [1] }] }))).toBeNull();
  });

  it('bounds every size', () => {
    const long = 'x'.repeat(LIMITS.string + 1);
    expect(parseShimMessage(batch({ sockets: [{ ...socket, url: long }] }))).toBeNull();
    expect(parseShimMessage(batch({ frames: [{ ...frame, data: 'x'.repeat(LIMITS.frameData + 1) }] }))).toBeNull();
    expect(parseShimMessage(batch({ frames: Array(LIMITS.framesPerBatch + 1).fill(frame) }))).toBeNull();
    const big = { ...frame, data: 'x'.repeat(LIMITS.frameData) };
    expect(parseShimMessage(batch({ frames: Array(LIMITS.batchData / LIMITS.frameData + 1).fill(big) }))).toBeNull();
  });
});
