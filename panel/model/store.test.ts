import { describe, expect, test } from 'vitest';
import { SAMPLE_FIELDS, type SocketInfo, type WireMessage, type WireSample, type WorkerKind } from '../../shim/wire/records';
import { socketInfo as info } from './socket-info.fixture';
import { LOG_LIMITS, LogStore, type LogLimits, type PageReport } from './store';


function message(seq: number, socketId = 1, data = `m${seq}`): WireMessage {
  return [seq, socketId, 'receive', 'text', data.length, data, false, 2_000 + seq];
}

const hello = (instance: string, frameId = 0, worker: WorkerKind | null = null): PageReport => ({
  type: 'hello',
  instance,
  worker,
  farewell: 'sockscope-farewell-x1',
  frameId,
});

const batch = (instance: string, sockets: SocketInfo[], messages: WireMessage[], frameId = 0, samples: WireSample[] = []): PageReport => ({
  type: 'batch',
  instance,
  sockets,
  messages,
  frameId,
  samples,
});

/** Messages 1..n for socket 1, with the socket's counters to match. */
function traffic(instance: string, from: number, to: number, worker: WorkerKind | null = null): PageReport {
  const messages: WireMessage[] = [];
  for (let seq = from; seq <= to; seq++) messages.push(message(seq));
  return batch(instance, [info(1, { received: to, worker })], messages);
}

/** A store whose notifications run only when the test flushes them. */
function setup(limits: Partial<LogLimits> = {}) {
  const pending: (() => void)[] = [];
  const store = new LogStore({ ...LOG_LIMITS, ...limits }, (run) => pending.push(run));
  const flush = () => pending.splice(0).forEach((run) => run());
  return { store, flush, pending };
}

const seqsOf = (store: LogStore, key = 'a:1'): number[] => {
  const messages = store.socket(key)?.messages;
  return messages ? Array.from({ length: messages.length }, (_, i) => messages.at(i)!.seq) : [];
};

describe('LogStore', () => {
  test('keeps a message only if its seq is above the highest held from that instance', () => {
    const { store } = setup();
    store.receive(traffic('a', 1, 3));
    store.receive(traffic('a', 2, 5)); // a replay overlapping live messages
    store.receive(traffic('a', 4, 4));
    expect(seqsOf(store)).toEqual([1, 2, 3, 4, 5]);
    expect(store.messageCount).toBe(5);
    expect(store.since()).toEqual({ a: 5 });
  });

  test('tracks seq per instance: equal seqs from different documents are different messages', () => {
    const { store } = setup();
    store.receive(traffic('a', 1, 2));
    store.receive(batch('b', [info(1)], [message(1), message(2)], 3));
    expect(seqsOf(store, 'a:1')).toEqual([1, 2]);
    expect(seqsOf(store, 'b:1')).toEqual([1, 2]);
    expect(store.socket('b:1')?.frameId).toBe(3);
    expect(store.since()).toEqual({ a: 2, b: 2 });
  });

  test('upserts sockets: the latest SocketInfo wins, order of first sight is kept', () => {
    const { store } = setup();
    store.receive(batch('a', [info(2), info(1)], []));
    store.receive(batch('a', [info(1, { readyState: 3, closeCode: 1000, sent: 4 })], []));
    expect(store.sockets().map((s) => s.key)).toEqual(['a:2', 'a:1']);
    expect(store.socket('a:1')?.info).toMatchObject({ readyState: 3, closeCode: 1000, sent: 4 });
  });

  test('ignores messages of sockets it does not know', () => {
    const { store } = setup();
    store.receive(batch('a', [], [message(1, 9)]));
    expect(store.messageCount).toBe(0);
    expect(store.since()).toEqual({ a: 1 });
  });

  test('a new top-frame document clears the log, seq marks included', () => {
    const { store } = setup();
    store.receive(hello('a'));
    store.receive(traffic('a', 1, 3));
    store.receive(batch('sub', [info(1)], [message(1)], 5));
    store.receive(hello('b'));
    expect(store.sockets()).toEqual([]);
    expect(store.messageCount).toBe(0);
    expect(store.since()).toEqual({});
    store.receive(traffic('b', 1, 2));
    expect(seqsOf(store, 'b:1')).toEqual([1, 2]);
  });

  test('with preserve on, a new top document keeps the log and its sockets are of an earlier page', () => {
    const { store } = setup();
    store.preserve = true;
    store.receive(hello('a'));
    store.receive(traffic('a', 1, 3));
    store.receive(hello('b'));
    store.receive(traffic('b', 1, 2));
    expect(seqsOf(store, 'a:1')).toEqual([1, 2, 3]);
    expect(seqsOf(store, 'b:1')).toEqual([1, 2]);
    expect(store.socket('a:1')!.page).toBeLessThan(store.page);
    expect(store.socket('b:1')!.page).toBe(store.page);
  });

  test('with preserve on, the sockets of a page that went are shown closed, even if a late batch says open; a shared worker’s stay open', () => {
    const { store } = setup();
    store.preserve = true;
    store.receive(hello('a'));
    store.receive(traffic('a', 1, 3));
    store.receive(hello('w', 0, 'shared'));
    store.receive(traffic('w', 1, 1, 'shared'));
    store.receive(hello('b'));
    expect(store.socket('a:1')!.info.readyState).toBe(3);
    store.receive(traffic('a', 4, 5));
    expect([store.socket('a:1')!.info.readyState, store.socket('a:1')!.info.received]).toEqual([3, 5]);
    expect(store.socket('w:1')!.info.readyState).toBe(1);
  });

  test('a page that went counts the messages it never delivered as not kept; one still there waits for them', () => {
    const { store } = setup();
    store.preserve = true;
    store.receive(hello('a'));
    store.receive(batch('a', [info(1, { received: 5, lastSeq: 5 })], [message(1), message(2)]));
    expect(store.notKept(store.socket('a:1')!)).toBe(0);
    store.receive(hello('b'));
    expect(store.notKept(store.socket('a:1')!)).toBe(3);
  });

  test('a hello from a subframe does not clear', () => {
    const { store } = setup();
    store.receive(hello('a'));
    store.receive(traffic('a', 1, 3));
    store.receive(hello('sub', 7));
    expect(store.messageCount).toBe(3);
  });

  test("a top-frame worker's hello or first batch is no new document", () => {
    const { store } = setup();
    store.receive(traffic('w', 1, 2, 'dedicated'));
    store.receive(hello('a'));
    store.receive(traffic('a', 1, 3));
    store.receive(hello('w', 0, 'dedicated'));
    expect(store.messageCount).toBe(5);
  });

  test('the same instance saying hello again (reconnect) clears nothing', () => {
    const { store } = setup();
    store.receive(hello('a'));
    store.receive(traffic('a', 1, 3));
    store.receive(hello('a'));
    expect(seqsOf(store)).toEqual([1, 2, 3]);
  });

  test('a panel opened late learns the top document from its first batch', () => {
    const { store } = setup();
    store.receive(traffic('a', 1, 3));
    store.receive(hello('a')); // the background restarted
    expect(store.messageCount).toBe(3);
    store.receive(hello('b')); // then the page navigated
    expect(store.messageCount).toBe(0);
  });

  test('clear() keeps the seq marks: a replay does not bring cleared messages back', () => {
    const { store } = setup();
    store.receive(traffic('a', 1, 3));
    store.clear();
    expect(store.sockets()).toEqual([]);
    expect(store.messageCount).toBe(0);
    expect(store.since()).toEqual({ a: 3 });
    // The shim replays from `since` and re-sends every socket it knows.
    store.receive(traffic('a', 1, 3));
    expect(store.sockets()).toEqual([]);
    expect(store.messageCount).toBe(0);
  });

  test('after clear(), a socket comes back with its new activity only', () => {
    const { store } = setup();
    store.receive(traffic('a', 1, 3));
    store.clear();
    store.receive(traffic('a', 1, 5));
    expect(seqsOf(store)).toEqual([4, 5]);
    store.clear();
    store.receive(batch('a', [info(1, { received: 5, readyState: 3 })], []));
    expect(store.socket('a:1')?.info.readyState).toBe(3);
  });

  test('holds at most `messages` messages per tab, dropping the oldest across sockets, and counts drops', () => {
    const { store } = setup({ messages: 4 });
    store.receive(batch('a', [info(1), info(2)], [message(1, 1), message(2, 2), message(3, 1), message(4, 2)]));
    store.receive(batch('a', [info(1)], [message(5, 1), message(6, 1)]));
    expect(store.messageCount).toBe(4);
    expect(store.dropped).toBe(2);
    expect(seqsOf(store, 'a:1')).toEqual([3, 5, 6]);
    expect(seqsOf(store, 'a:2')).toEqual([4]);
    expect(store.socket('a:1')?.dropped).toBe(1);
    expect(store.socket('a:2')?.dropped).toBe(1);
    // Dropped messages stay dropped on replay.
    store.receive(traffic('a', 1, 6));
    expect(store.messageCount).toBe(4);
    store.clear();
    expect(store.dropped).toBe(0);
  });

  test('past the payload budget, the oldest messages keep only their preview', () => {
    // 6 characters are 12 bytes: the budget holds one such payload.
    const { store } = setup({ payloadBytes: 20, previewChars: 2 });
    store.receive(batch('a', [info(1)], [message(1, 1, 'xxxxxx'), message(2, 1, 'yyyyyy'), message(3, 1, 'zz')]));
    expect(seqsOf(store)).toEqual([1, 2, 3]);
    expect(store.dropped).toBe(0);
    expect(store.previewsOnly).toBe(1);
    const messages = store.socket('a:1')!.messages;
    expect(messages.at(0)).toMatchObject({ data: 'xx', previewOnly: true, truncated: true });
    expect(messages.at(1)).toMatchObject({ data: 'yyyyyy', previewOnly: false });
  });

  test("what the log lacks or holds in part is counted: the page's messages not kept, those cleared and dropped, those cut", () => {
    const { store } = setup({ messages: 4 });
    // A panel that opens late: the page exchanged 10, and kept (so replays) its last 3; one of those crossed cut.
    const cut: WireMessage = [10, 1, 'receive', 'text', 5_000, 'xx', true, 2_010];
    store.receive(batch('a', [info(1, { received: 10, lastSeq: 10 })], [message(8), message(9), cut]));
    const entry = () => store.socket('a:1')!;
    expect([store.notKept(entry()), entry().cut, entry().dropped, entry().cleared]).toEqual([7, 1, 0, 0]);
    // Two more, past the log's 4: one dropped, still counted.
    store.receive(batch('a', [info(1, { received: 12, lastSeq: 12 })], [message(11), message(12)]));
    expect([store.notKept(entry()), entry().messages.length, entry().dropped]).toEqual([7, 4, 1]);
    // Messages on their way (the socket's latest is not here yet): none counted as not kept.
    store.receive(batch('a', [info(1, { received: 15, lastSeq: 15 })], []));
    expect(store.notKept(entry())).toBe(0);
    store.receive(batch('a', [info(1, { received: 15, lastSeq: 15 })], [message(13), message(14), message(15)]));
    expect(store.notKept(entry())).toBe(7);
    // Cleared: the socket comes back with its new message; the cleared ones are not "not kept".
    store.clear();
    store.receive(batch('a', [info(1, { received: 16, lastSeq: 16 })], [message(16)]));
    expect([store.notKept(entry()), entry().messages.length, entry().cleared]).toEqual([0, 1, 15]);
  });

  test('past the socket limit forgets the oldest closed socket with its messages', () => {
    const { store } = setup({ sockets: 2 });
    store.receive(batch('a', [info(1), info(2, { readyState: 3 })], [message(1, 1), message(2, 2), message(3, 2)]));
    store.receive(batch('a', [info(3)], [message(4, 3)]));
    expect(store.sockets().map((s) => s.key)).toEqual(['a:1', 'a:3']);
    expect(store.messageCount).toBe(2);
    expect(store.dropped).toBe(2);
    // Eviction skips the removed socket's slots and still drops the oldest held message.
    store.receive(batch('a', [info(3)], [message(5, 3)]));
    expect(store.messageCount).toBe(3);
  });

  // Linear eviction (Array#shift) would take minutes here and trip the test timeout.
  test('appends and evicts in O(1) amortized at the message limit', () => {
    const { store } = setup({ messages: 100_000 });
    for (let seq = 1; seq <= 300_000; seq += 1000) {
      const messages = Array.from({ length: 1000 }, (_, i) => message(seq + i));
      store.receive(batch('a', [info(1)], messages));
    }
    expect(store.messageCount).toBe(100_000);
    expect(store.dropped).toBe(200_000);
    expect(store.socket('a:1')?.messages.at(0)?.seq).toBe(200_001);
    // Past compactions, positions still name the held messages in order.
    const messages = store.socket('a:1')!.messages;
    expect(messages.at(99_999)?.seq).toBe(300_000);
    expect(messages.at(100_000)).toBeUndefined();
    const last = messages.at(99_999)!;
    expect(messages.positionOf(last.index)).toBe(99_999);
  });

  test('notifies listeners once per scheduled tick, not per message', () => {
    const { store, flush, pending } = setup();
    let calls = 0;
    const unsubscribe = store.subscribe(() => calls++);
    const before = store.version;
    store.receive(traffic('a', 1, 2));
    store.receive(traffic('a', 3, 4));
    expect(pending).toHaveLength(1);
    expect(store.version).toBeGreaterThan(before);
    flush();
    expect(calls).toBe(1);
    unsubscribe();
    store.receive(traffic('a', 5, 6));
    flush();
    expect(calls).toBe(1);
  });

  test('publishes at the update: the version of each socket that changed, the list when one came, the counts', () => {
    const { store, flush } = setup();
    store.receive(batch('a', [info(1), info(2)], [message(1, 1)]));
    expect(store.socketList.value).toEqual([]);
    flush();
    const list = store.socketList.value;
    expect(list.map((s) => s.key)).toEqual(['a:1', 'a:2']);
    const [one, two] = list.map((s) => s.version.value);
    store.receive(batch('a', [info(1, { received: 3 })], [message(2, 1), message(3, 1)]));
    expect(store.socket('a:1')!.version.value).toBe(one);
    expect(store.counts.value.messages).toBe(1);
    flush();
    expect(store.socket('a:1')!.version.value).toBe(one + 1);
    expect(store.socket('a:2')!.version.value).toBe(two);
    expect(store.socketList.value).toBe(list);
    expect(store.counts.value).toEqual({ sockets: 2, messages: 3, dropped: 0, previewsOnly: 0 });
    expect(store.updates.value).toBe(store.version);
  });

  test('files samples under their socket and ignores those of unknown sockets', () => {
    const { store } = setup();
    const sample = (id: number, time: number): WireSample => [id, time, 250, ...SAMPLE_FIELDS.slice(2).map(() => 1)];
    store.receive(batch('a', [info(1)], [], 0, [sample(1, 1000), sample(2, 1000)]));
    store.receive(batch('a', [], [], 0, [sample(1, 1250)]));
    expect(store.socket('a:1')?.samples?.columns.time).toEqual([1000, 1250]);
    expect(store.socket('a:1')?.samples?.latest('heldConsumer')).toBe(1);
    expect(store.socket('a:2')).toBeUndefined();
  });
});

describe('the workers each realm started', () => {
  const list = (instance: string, frameId: number, url: string) => ({ instance, frameId, workers: [{ kind: 'dedicated' as const, url, status: 'not-captured' as const }], more: 0 });
  const urls = (store: LogStore) => [...store.workers.value.values()].map((l) => l.workers[0].url);

  test("keeps each realm's latest list, through the log's clear", () => {
    const { store } = setup();
    store.receive(hello('top'));
    store.startedWorkers(list('top', 0, '/a.js'));
    store.startedWorkers(list('w1', 0, '/nested.js'));
    store.startedWorkers(list('top', 0, '/b.js'));
    expect(urls(store)).toEqual(['/b.js', '/nested.js']);
    store.clear();
    expect(urls(store)).toEqual(['/b.js', '/nested.js']);
  });

  test("drops a frame's lists when another document shows in it (every frame's for the top one, preserving or not), not when one reconnects", () => {
    const { store } = setup();
    store.preserve = true;
    store.receive(hello('top'));
    store.receive(hello('sub', 2));
    store.startedWorkers(list('top', 0, '/top.js'));
    store.startedWorkers(list('sub', 2, '/sub.js'));
    store.startedWorkers(list('subworker', 2, '/sub-nested.js'));
    store.receive(hello('top'));
    store.receive(hello('sub', 2));
    store.receive(hello('w', 2, 'dedicated'));
    expect(urls(store)).toEqual(['/top.js', '/sub.js', '/sub-nested.js']);
    store.receive(hello('sub2', 2));
    expect(urls(store)).toEqual(['/top.js']);
    store.startedWorkers(list('sub2', 2, '/sub2.js'));
    store.receive(hello('top2'));
    expect(urls(store)).toEqual([]);
  });
});
