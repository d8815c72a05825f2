import { describe, expect, test } from 'vitest';
import { compileFilter, NO_FILTER, type MessageFilter } from './message-filter';
import { MessageLog } from '../model/message-log';
import { wireMessageOf } from '../../shim/wire/records';
import { CHUNK, LogMirror, serveMirror, type MirrorMessage, type SearchFailure, type SearchReply } from './log-mirror';
import { MessageView } from './message-view';
import { nextTask } from './next-task';
import { SplitSearch, SPLIT_MIN, type WorkerPort } from './split-search';

/**
 * The worker's own loop in this thread: messages are copied (transferred
 * buffers detached) and go both ways a task later, in the order they were
 * posted, as a real worker's would (one queue of tasks, the loop's own steps
 * included: a timer would let the steps overtake the panel's limits on a
 * loaded machine). `hold` keeps its answers back, as a worker that waits for
 * a core would.
 */
class InThreadWorker implements WorkerPort {
  onmessage: ((event: MessageEvent<SearchReply | SearchFailure>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  readonly mirror = new LogMirror();
  received: MirrorMessage['type'][] = [];
  /** Chunks answered. */
  chunks = 0;
  terminated = false;
  private held: (() => void)[] | null = null;
  private readonly serve = serveMirror(this.mirror, (reply) => {
    if (!('error' in reply)) this.chunks++;
    const answer = () => this.onmessage?.({ data: structuredClone(reply) } as MessageEvent<SearchReply | SearchFailure>);
    if (this.held) this.held.push(answer);
    else nextTask(answer);
  });

  postMessage(message: MirrorMessage, transfer: Transferable[]): void {
    const copy = structuredClone(message, { transfer });
    this.received.push(copy.type);
    nextTask(() => this.serve(copy));
  }

  terminate(): void {
    this.terminated = true;
  }

  hold(): void {
    this.held = [];
  }

  release(): void {
    for (const answer of this.held ?? []) nextTask(answer);
    this.held = null;
  }
}

/** Lets queued tasks run until `done` holds (a loaded machine runs them late), for at most 5 s. */
async function until(done: () => boolean): Promise<void> {
  for (const deadline = Date.now() + 5000; !done(); ) {
    if (Date.now() > deadline) throw new Error(`still not done after 5 s: ${done}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Room for a log whose older part is a few chunks. */
const CAPACITY = 5 * CHUNK;
const LARGE = 4 * CHUNK + 5000;
/** The worker's part of a search of LARGE messages, at first. */
const WORKER_PART = Math.floor((3 * LARGE) / 4);

/** Messages of sockets 0–2 both ways; every 7th is long (beyond the 20-character preview). */
function push(log: MessageLog, count: number): void {
  for (let i = 0; i < count; i++) {
    const seq = log.next;
    const data = seq % 7 === 0 ? `${'.'.repeat(30)}needle ${seq}` : `entry ${seq}${seq % 5 === 0 ? ' needle' : ''}`;
    log.push(wireMessageOf({ seq, socketId: seq % 3, direction: seq % 2 ? 'send' : 'receive', type: 'text', size: data.length, data, truncated: false, time: seq }), seq % 3);
  }
}

const newLog = (payloadBytes = 1 << 30) => new MessageLog({ messages: CAPACITY, payloadBytes, previewChars: 20 });

/** What a view shows once it has settled every long message. */
function settled(view: MessageView): number[] {
  view.settle(Number.POSITIVE_INFINITY);
  return Array.from({ length: view.length }, (_, i) => view.at(i)?.index as number);
}

/** The same filter searched by the panel alone: what the split search must equal. */
const alone = (log: MessageLog, filter: MessageFilter, socket: number | null) => settled(new MessageView(log, socket, compileFilter(filter, log)));

describe('SplitSearch', () => {
  const filters: [string, MessageFilter, number | null][] = [
    ['text, one socket', { ...NO_FILTER, query: 'needle' }, 1],
    ['regex, every socket', { ...NO_FILTER, query: '/needle \\d+$/', allSockets: true }, null],
    ['direction only', { ...NO_FILTER, send: false }, 2],
  ];

  test.each(filters)('a large log is searched by the worker and the panel chunk by chunk, into what one search finds (%s)', async (_, filter, socket) => {
    const log = newLog();
    push(log, LARGE);
    const port = new InThreadWorker();
    const search = new SplitSearch(log, () => port);
    const older = search.searchOlder(filter, socket);
    // The worker's part at first: the oldest three quarters.
    expect(older?.split).toBe(log.first + WORKER_PART);
    const view = new MessageView(log, socket, compileFilter(filter, log), older);
    expect(view.olderCount).toBe(WORKER_PART);
    await view.complete;
    expect(view.olderCount).toBe(0);
    expect(settled(view)).toEqual(alone(log, filter, socket));
    expect(port.received.slice(0, 2)).toEqual(['messages', 'search']);
  });

  test('a worker whose answers are slow to come: the panel takes its chunks from the top, all but the one it is on', async () => {
    const log = newLog();
    push(log, LARGE);
    const port = new InThreadWorker();
    port.hold();
    const search = new SplitSearch(log, () => port);
    const filter = { ...NO_FILTER, query: '/needle \\d+$/' };
    const view = new MessageView(log, null, compileFilter(filter, log), search.searchOlder(filter, null));
    // The panel stops taking chunks once one is left: each turn takes a whole one.
    await until(() => view.olderCount <= CHUNK);
    // Chunks are cut down from the split: the worker's first, the one it is on, is what is left over.
    expect(view.olderCount).toBe(WORKER_PART % CHUNK);
    expect(port.received.filter((type) => type === 'limit')).toHaveLength(Math.floor(WORKER_PART / CHUNK));
    port.release();
    await view.complete;
    expect(settled(view)).toEqual(alone(log, filter, null));
    // The worker searched its first chunk, and began the next before the panel's limit reached it.
    expect(port.chunks).toBeLessThanOrEqual(2);
  });

  test('messages that arrive, and messages the log lets go, while the worker searches', async () => {
    const log = newLog();
    push(log, CAPACITY - 100);
    const port = new InThreadWorker();
    const search = new SplitSearch(log, () => port);
    const filter = { ...NO_FILTER, query: 'needle' };
    const view = new MessageView(log, null, compileFilter(filter, log), search.searchOlder(filter, null));
    // The log fills and evicts its oldest 3000 (older-half messages the worker is searching), then 1000 more unseen by the view.
    push(log, 3100);
    view.refresh();
    push(log, 1000);
    await view.complete;
    expect(log.first).toBe(4000);
    // Joined, the older matches leave out what the log let go.
    expect(view.at(0)?.index).toBeGreaterThanOrEqual(4000);
    view.refresh();
    expect(settled(view)).toEqual(alone(log, filter, null));
  });

  test('long messages whose payload the log let go are settled by their preview, as the panel would', async () => {
    // A budget for about 2,000 long payloads: most long messages keep only their preview.
    const log = newLog(2000 * 2 * 50);
    push(log, LARGE);
    expect(log.payloadFrom).toBeGreaterThan(log.first + log.length / 2);
    const search = new SplitSearch(log, () => new InThreadWorker());
    for (const query of ['needle', '/needle \\d+$/']) {
      const filter = { ...NO_FILTER, query };
      const view = new MessageView(log, null, compileFilter(filter, log), search.searchOlder(filter, null));
      await view.complete;
      expect(settled(view)).toEqual(alone(log, filter, null));
    }
  });

  test('keeps the copy in step: what the log took since the last search, and a clear', async () => {
    const log = newLog();
    push(log, SPLIT_MIN);
    const port = new InThreadWorker();
    const search = new SplitSearch(log, () => port);
    search.sync();
    push(log, 20_000);
    const filter = { ...NO_FILTER, query: 'needle' };
    let view = new MessageView(log, null, compileFilter(filter, log), search.searchOlder(filter, null));
    await view.complete;
    expect(settled(view)).toEqual(alone(log, filter, null));
    log.clear();
    search.sync();
    push(log, SPLIT_MIN);
    view = new MessageView(log, null, compileFilter(filter, log), search.searchOlder(filter, null));
    await view.complete;
    expect(settled(view)).toEqual(alone(log, filter, null));
    expect(port.mirror.preview.filter((preview) => preview !== '')).toHaveLength(SPLIT_MIN);
    expect(port.received.filter((type) => type !== 'limit')).toEqual(['messages', 'messages', 'search', 'messages', 'messages', 'search']);
  });

  test('a small log is searched by the panel alone, and no worker starts', () => {
    const log = newLog();
    push(log, SPLIT_MIN - 1);
    let started = 0;
    const search = new SplitSearch(log, () => (started++, new InThreadWorker()));
    search.sync();
    expect(search.searchOlder({ ...NO_FILTER, query: 'needle' }, null)).toBeNull();
    expect(started).toBe(0);
  });

  test('a worker that fails: the panel searches the rest, and alone from then on', async () => {
    const log = newLog();
    push(log, LARGE);
    const port = new InThreadWorker();
    port.hold();
    const search = new SplitSearch(log, () => port);
    const filter = { ...NO_FILTER, query: 'needle' };
    const view = new MessageView(log, null, compileFilter(filter, log), search.searchOlder(filter, null));
    port.onerror?.(new Event('error') as ErrorEvent);
    await view.complete;
    expect(settled(view)).toEqual(alone(log, filter, null));
    expect(port.terminated).toBe(true);
    expect(search.searchOlder(filter, null)).toBeNull();
  });

  test('a newer search ends the one before: its view stops searching, and the newer finds what one search finds', async () => {
    const log = newLog();
    push(log, LARGE);
    const port = new InThreadWorker();
    const search = new SplitSearch(log, () => port);
    const filter = { ...NO_FILTER, query: 'needle' };
    const compiled = compileFilter(filter, log);
    let tested = 0;
    const counted = { ...compiled, test: (index: number, slot: number) => (tested++, compiled.test(index, slot)) };
    new MessageView(log, null, counted, search.searchOlder(filter, null));
    // The newest quarter, searched at once.
    const own = tested;
    expect(own).toBe(LARGE - WORKER_PART);
    const newer = { ...filter, query: '/needle \\d+$/' };
    const after = new MessageView(log, null, compileFilter(newer, log), search.searchOlder(newer, null));
    await after.complete;
    expect(tested).toBe(own);
    expect(settled(after)).toEqual(alone(log, newer, null));
  });

  test('a worker that cannot start: the panel searches alone', () => {
    const log = newLog();
    push(log, SPLIT_MIN);
    const search = new SplitSearch(log, () => {
      throw new Error('workers are not allowed here');
    });
    expect(search.searchOlder({ ...NO_FILTER, query: 'needle' }, null)).toBeNull();
  });
});
