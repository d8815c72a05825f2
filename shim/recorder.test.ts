import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { ShimMessage } from './protocol';
import type { Recorder as RecorderClass } from './recorder';

let Recorder: typeof RecorderClass;

beforeAll(async () => {
  // Node has no CloseEvent; the shim saves its getters when loaded.
  class CloseEvent extends Event {
    get code() { return 0; }
    get reason() { return ''; }
    get wasClean() { return false; }
  }
  vi.stubGlobal('CloseEvent', CloseEvent);
  ({ Recorder } = await import('./recorder'));
});

const newSocket = (recorder: RecorderClass) =>
  recorder.openSocket({ kind: 'WebSocket', url: 'ws://127.0.0.1/', protocols: [], frameUrl: 'http://127.0.0.1/' });

function collect(recorder: RecorderClass, since = 0) {
  const batches: Extract<ShimMessage, { type: 'batch' }>[] = [];
  recorder.subscribe(since, (m) => {
    if (m.type === 'batch') batches.push(m);
  });
  return batches;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 60));

describe('Recorder', () => {
  it('records without sending anything while nobody is subscribed', async () => {
    const recorder = new Recorder();
    const info = newSocket(recorder);
    recorder.text(info, 'send', 'héllo');
    recorder.bytes(info, 'receive', new Uint8Array([1, 2, 3]));
    expect(recorder.frameList().map((f) => [f.direction, f.type, f.size, f.data])).toEqual([
      ['send', 'text', 6, 'héllo'],
      ['receive', 'binary', 3, 'AQID'],
    ]);
    expect(recorder.socketList()[0]).toMatchObject({ sent: 1, sentBytes: 6, received: 1, receivedBytes: 3 });
  });

  it('replays history after `since` to a late subscriber, then streams live', async () => {
    const recorder = new Recorder();
    const info = newSocket(recorder);
    for (let i = 0; i < 5; i++) recorder.text(info, 'receive', `m${i}`);
    const batches = collect(recorder, 2);
    await settle();
    recorder.text(info, 'send', 'live');
    await settle();
    const frames = batches.flatMap((b) => b.frames);
    expect(frames.map((f) => f.data)).toEqual(['m2', 'm3', 'm4', 'live']);
    expect(frames.map((f) => f.seq)).toEqual([3, 4, 5, 6]);
    expect(batches[0].sockets[0]).toMatchObject({ id: info.id, received: 5 });
    expect(batches.at(-1)!.sockets[0]).toMatchObject({ sent: 1 });
  });

  it('batches many frames into few messages', async () => {
    const recorder = new Recorder();
    const info = newSocket(recorder);
    const batches = collect(recorder);
    for (let i = 0; i < 1000; i++) recorder.text(info, 'receive', 'x');
    await settle();
    expect(batches.flatMap((b) => b.frames)).toHaveLength(1000);
    expect(batches.length).toBeLessThanOrEqual(3);
  });

  it('holds later frames back until an earlier Blob is read, keeping seq order', async () => {
    const recorder = new Recorder();
    const info = newSocket(recorder);
    const batches = collect(recorder);
    recorder.blob(info, 'receive', new Blob(['blob!']));
    recorder.text(info, 'receive', 'after');
    await settle();
    const frames = batches.flatMap((b) => b.frames);
    expect(frames.map((f) => [f.seq, f.data])).toEqual([
      [1, Buffer.from('blob!').toString('base64')],
      [2, 'after'],
    ]);
  });

  it('counts frames dropped from the bounded history', () => {
    const recorder = new Recorder({ framesPerSocket: 2, bytes: 1e9 });
    const info = newSocket(recorder);
    for (let i = 0; i < 5; i++) recorder.text(info, 'receive', `${i}`);
    expect(recorder.frameList().map((f) => f.data)).toEqual(['3', '4']);
    expect(recorder.socketList()[0].dropped).toBe(3);
  });

  it('truncates payloads on the wire but not in frameList', async () => {
    const recorder = new Recorder();
    const info = newSocket(recorder);
    const text = 'y'.repeat(2 * 1024 * 1024);
    recorder.text(info, 'send', text);
    const batches = collect(recorder);
    await settle();
    const [frame] = batches.flatMap((b) => b.frames);
    expect(frame).toMatchObject({ size: text.length, truncated: true });
    expect(frame.data.length).toBe(1024 * 1024);
    expect(recorder.frameList()[0]).toMatchObject({ data: text, truncated: false });
  });

  it('stops sending after unsubscribe', async () => {
    const recorder = new Recorder();
    const info = newSocket(recorder);
    const batches = collect(recorder);
    await settle();
    const before = batches.length;
    recorder.unsubscribe();
    recorder.text(info, 'send', 'quiet');
    await settle();
    expect(batches.length).toBe(before);
  });
});

describe('Recorder subscribe', () => {
  it('answers a subscribe with a batch even when it has nothing to send', async () => {
    const recorder = new Recorder();
    const batches = collect(recorder);
    await settle();
    expect(batches).toEqual([{ v: 1, type: 'batch', instance: recorder.instance, sockets: [], frames: [] }]);
  });
});
