import { describe, expect, it } from 'vitest';
import { type ShimEvent } from '../wire/messages';
import { readPanelEvent } from '../wire/readers';
import { fromWireMessage, LIMITS, readBatch, SAMPLE_FIELDS, type MessageRecord, type SocketInfo, type WireSample } from '../wire/records';
import { Recorder } from './recorder';

const newSocket = (recorder: Recorder) =>
  recorder.openSocket({ kind: 'WebSocket', url: 'ws://127.0.0.1/', protocols: [], frameUrl: 'http://127.0.0.1/', worker: null });

interface Batch {
  type: 'batch';
  instance: string;
  frameId: number;
  sockets: SocketInfo[];
  messages: MessageRecord[];
  samples: WireSample[];
}

/** A batch as the panel reads it, its messages as objects for the assertions; null for a hello; throws for what the panel would discard. */
function panelReads(m: ShimEvent): Batch | null {
  const discarded = () => new Error(`the panel would discard ${JSON.stringify(m).slice(0, 200)}`);
  const event = readPanelEvent({ ...m, frameId: 0 });
  if (event?.type === 'hello') return null;
  if (event?.type !== 'batch') throw discarded();
  const batch = readBatch(event.body);
  if (!batch) throw discarded();
  return { type: 'batch', instance: event.instance, frameId: event.frameId, ...batch, messages: batch.messages.map(fromWireMessage) };
}

/** Batches as the panel reads them: every one must pass its checks. */
function collect(recorder: Recorder, since = 0) {
  const batches: Batch[] = [];
  recorder.subscribe(since, (m) => {
    const batch = panelReads(m);
    if (batch) batches.push(batch);
  });
  return batches;
}

/** The batch timer, run by hand: a batch is sent when the test says time has passed, however busy the machine. */
const timers: (() => void)[] = [];
const newRecorder = (limits?: ConstructorParameters<typeof Recorder>[0]) => new Recorder(limits, (run) => timers.push(run));

/** Lets the batch timers run, and what they schedule in turn, until none is due (a Blob's read included, within 100 turns of the event loop). */
async function settle(): Promise<void> {
  for (let idle = 0, turns = 0; idle < 3 && turns < 100; turns++) {
    idle = timers.length === 0 ? idle + 1 : 0;
    while (timers.length > 0) timers.shift()!();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('Recorder', () => {
  it('records without sending anything while nobody is subscribed', async () => {
    const recorder = newRecorder();
    const info = newSocket(recorder);
    recorder.text(info, 'send', 'héllo');
    recorder.payload(info, 'receive', new Uint8Array([1, 2, 3]));
    expect(recorder.messageList().map((f) => [f.direction, f.type, f.size, f.data])).toEqual([
      ['send', 'text', 6, 'héllo'],
      ['receive', 'binary', 3, 'AQID'],
    ]);
    expect(recorder.socketList()[0]).toMatchObject({ sent: 1, sentBytes: 6, received: 1, receivedBytes: 3 });
  });

  it('replays history after `since` to a late subscriber, then streams live', async () => {
    const recorder = newRecorder();
    const info = newSocket(recorder);
    for (let i = 0; i < 5; i++) recorder.text(info, 'receive', `m${i}`);
    const batches = collect(recorder, 2);
    await settle();
    recorder.text(info, 'send', 'live');
    await settle();
    const messages = batches.flatMap((b) => b.messages);
    expect(messages.map((f) => f.data)).toEqual(['m2', 'm3', 'm4', 'live']);
    expect(messages.map((f) => f.seq)).toEqual([3, 4, 5, 6]);
    expect(batches[0].sockets[0]).toMatchObject({ id: info.id, received: 5 });
    expect(batches.at(-1)!.sockets[0]).toMatchObject({ sent: 1 });
  });

  it('batches many messages into few batches', async () => {
    const recorder = newRecorder();
    const info = newSocket(recorder);
    const batches = collect(recorder);
    for (let i = 0; i < 1000; i++) recorder.text(info, 'receive', 'x');
    await settle();
    expect(batches.flatMap((b) => b.messages)).toHaveLength(1000);
    expect(batches.length).toBeLessThanOrEqual(3);
  });

  it('holds later messages back until an earlier Blob is read, keeping seq order', async () => {
    const recorder = newRecorder();
    const info = newSocket(recorder);
    const batches = collect(recorder);
    recorder.blob(info, 'receive', new Blob(['blob!']));
    recorder.text(info, 'receive', 'after');
    await settle();
    const messages = batches.flatMap((b) => b.messages);
    expect(messages.map((f) => [f.seq, f.data])).toEqual([
      [1, Buffer.from('blob!').toString('base64')],
      [2, 'after'],
    ]);
  });

  it('counts messages dropped from the bounded history', () => {
    const recorder = newRecorder({ messagesPerSocket: 2, bytes: 1e9 });
    const info = newSocket(recorder);
    for (let i = 0; i < 5; i++) recorder.text(info, 'receive', `${i}`);
    expect(recorder.messageList().map((f) => f.data)).toEqual(['3', '4']);
    expect(recorder.socketList()[0].dropped).toBe(3);
  });

  it('truncates payloads on the wire but not in messageList', async () => {
    const recorder = newRecorder();
    const info = newSocket(recorder);
    const text = 'y'.repeat(2 * 1024 * 1024);
    recorder.text(info, 'send', text);
    const batches = collect(recorder);
    await settle();
    const [message] = batches.flatMap((b) => b.messages);
    expect(message).toMatchObject({ size: text.length, truncated: true });
    expect(message.data.length).toBe(1024 * 1024);
    expect(recorder.messageList()[0]).toMatchObject({ data: text, truncated: false });
  });

  it('splits a backlog into batches within the body limit, each socket ahead of its messages', async () => {
    const recorder = newRecorder({ messagesPerSocket: 1000, bytes: 1e9 });
    const quoted = '"'.repeat(LIMITS.messageData); // escapes to twice its length
    const info = newSocket(recorder);
    for (let i = 0; i < 10; i++) recorder.text(info, 'receive', quoted);
    const late = newSocket(recorder);
    recorder.text(late, 'send', 'after');
    const bodies: number[] = [];
    const batches: Batch[] = [];
    recorder.subscribe(0, (m) => {
      if (m.type === 'batch') bodies.push(m.body.length);
      const batch = panelReads(m);
      if (batch) batches.push(batch);
    });
    await settle();
    expect(Math.max(...bodies)).toBeLessThanOrEqual(LIMITS.batchBody);
    expect(bodies.length).toBeGreaterThan(2);
    const messages = batches.flatMap((b) => b.messages);
    expect(messages.map((f) => f.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(messages.every((f) => f.data === quoted || f.data === 'after')).toBe(true);
    const firstSeen = (id: number) => batches.findIndex((b) => b.sockets.some((s) => s.id === id));
    const firstMessage = (id: number) => batches.findIndex((b) => b.messages.some((f) => f.socketId === id));
    expect(firstSeen(late.id)).toBeLessThanOrEqual(firstMessage(late.id));
  });

  it('sends everything the panel lacks at once, in as many batches as it takes, when the document goes', () => {
    const recorder = newRecorder({ messagesPerSocket: 20_000, bytes: 1e9 });
    const batches = collect(recorder);
    timers.splice(0).forEach((run) => run());
    const info = newSocket(recorder);
    const count = 2 * LIMITS.messagesPerBatch + 1;
    for (let i = 0; i < count; i++) recorder.text(info, 'receive', 'm');
    timers.length = 0; // The document's timers go with it.
    const before = batches.flatMap((b) => b.messages).length;
    recorder.sendAll();
    const messages = batches.flatMap((b) => b.messages);
    expect(before).toBeLessThan(count);
    expect(messages.map((m) => m.seq)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
    expect(batches.flatMap((b) => b.sockets).at(-1)).toMatchObject({ received: count, lastSeq: count });
    // With nothing left to send, the sockets go again: the batch that carried them may be lost.
    const sent = batches.length;
    recorder.sendAll();
    expect(batches.slice(sent).flatMap((b) => b.sockets)).toMatchObject([{ received: count, lastSeq: count }]);
  });

  it('clips page-supplied strings it records to the wire contract bounds', () => {
    const recorder = newRecorder();
    const long = 'u'.repeat(LIMITS.string + 10);
    recorder.openSocket({ kind: 'WebSocket', url: long, protocols: Array(LIMITS.protocols + 5).fill(long), frameUrl: long, worker: null });
    const [info] = recorder.socketList();
    expect(info.url.length).toBe(LIMITS.string);
    expect(info.frameUrl.length).toBe(LIMITS.string);
    expect(info.protocols).toHaveLength(LIMITS.protocols);
    expect(info.protocols.every((p) => p.length === LIMITS.string)).toBe(true);
  });

  it('sends live messages in full up to the relay budget, then as previews; replays in full', async () => {
    const recorder = newRecorder({ messagesPerSocket: 1000, bytes: 1e9 });
    const info = newSocket(recorder);
    const big = 'r'.repeat(400 * 1024);
    recorder.text(info, 'receive', big); // before the subscribe: a replay
    const batches = collect(recorder);
    await settle();
    for (let i = 0; i < 8; i++) recorder.text(info, 'receive', big); // 3.2 MiB at once: over a 1 MiB burst
    recorder.payload(info, 'receive', new Uint8Array(100)); // small messages are never cut
    await settle();
    const messages = batches.flatMap((b) => b.messages);
    expect(messages).toHaveLength(10);
    expect(messages[0]).toMatchObject({ truncated: false, size: big.length });
    const live = messages.slice(1, 9);
    const full = live.filter((f) => !f.truncated);
    expect(full.length).toBeGreaterThan(0);
    expect(full.length).toBeLessThan(8);
    expect(full.every((f) => f.data === big)).toBe(true);
    expect(live.filter((f) => f.truncated).every((f) => f.data === big.slice(0, 256) && f.size === big.length)).toBe(true);
    expect(messages[9]).toMatchObject({ truncated: false, type: 'binary', size: 100 });
  });

  it('sends a batch early rather than let the history evict messages the panel has not had', async () => {
    const recorder = newRecorder({ messagesPerSocket: 10, bytes: 1e9 });
    const info = newSocket(recorder);
    const batches = collect(recorder);
    await settle();
    for (let i = 0; i < 100; i++) recorder.text(info, 'receive', `${i}`); // no timer runs meanwhile
    await settle();
    expect(batches.flatMap((b) => b.messages).map((f) => f.data)).toEqual(Array.from({ length: 100 }, (_, i) => `${i}`));
  });

  it('records a socket opening, failing and closing', () => {
    const recorder = newRecorder();
    const info = newSocket(recorder);
    recorder.opened(info, 'chat', 'permessage-deflate');
    expect(recorder.socketList()[0]).toMatchObject({ readyState: 1, protocol: 'chat', extensions: 'permessage-deflate', error: false });
    recorder.failed(info);
    recorder.closed(info, 1006, '', false);
    const [after] = recorder.socketList();
    expect(after).toMatchObject({ readyState: 3, error: true, closeCode: 1006, closeReason: '', wasClean: false });
    expect(after.closedAt).toBeGreaterThanOrEqual(after.openedAt!);
  });

  it('stops sending after unsubscribe', async () => {
    const recorder = newRecorder();
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
  it('keeps a text longer than its whole budget cut, marked truncated, and the messages before it', async () => {
    const recorder = newRecorder({ messagesPerSocket: 100, bytes: 1000 });
    const info = newSocket(recorder);
    recorder.text(info, 'receive', 'before');
    recorder.text(info, 'receive', 'y'.repeat(5000));
    const messages = recorder.messageList();
    expect(messages.map((f) => [f.data.length, f.truncated, f.size])).toEqual([
      [6, false, 6],
      [500, true, 5000],
    ]);
  });

  it('answers a subscribe with a batch even when it has nothing to send', async () => {
    const recorder = newRecorder();
    const batches = collect(recorder);
    await settle();
    expect(batches).toEqual([{ type: 'batch', instance: recorder.instance, frameId: 0, sockets: [], messages: [], samples: [] }]);
  });

  it('sends samples after the sockets they name, and none without a subscriber', async () => {
    const recorder = newRecorder();
    const sample = (id: number) => [id, 1000, 250, ...SAMPLE_FIELDS.slice(2).map(() => 1)];
    recorder.addSamples([sample(9)]);
    const batches = collect(recorder);
    const info = recorder.openSocket({ kind: 'WebSocket', url: 'ws://x.test/', protocols: [], frameUrl: 'http://x.test/', worker: null });
    recorder.addSamples([sample(info.id)]);
    await settle();
    const all = batches.flatMap((b) => b.samples);
    expect(all).toEqual([sample(info.id)]);
    const first = batches.findIndex((b) => b.sockets.some((s) => s.id === info.id));
    expect(batches.findIndex((b) => b.samples.length > 0)).toBeGreaterThanOrEqual(first);
  });
});
