// A filter over a large log runs on two cores: the panel searches the newer
// half of the log while a worker, which holds a copy of the filter columns
// (./frame-mirror.ts), searches the older half. The regular expression is
// most of a filter's time, and a million previews take one core longer than
// a keystroke should. Small logs are searched by the panel alone: the copy
// starts once the log is long enough to gain from it.
import type { FrameFilter } from './frame-filter';
import type { FrameLog } from './frame-log';
import type { MirrorMessage, SearchFailure, SearchReply } from './frame-mirror';
import { IndexBuffer } from './index-buffer';
import type { MatchBits } from './match-bits';

/** Logs shorter than this are searched by the panel alone (a round trip to the worker would cost more). */
export const SPLIT_MIN = 50_000;

/** The matches of part of a log, and the frames only their full payload can settle. */
export interface Found {
  shown: MatchBits['raw'];
  unsettled: IndexBuffer;
}

/** Frames before `split` are searched elsewhere: their matches come with `found`, which rejects if that search failed. */
export interface OlderSearch {
  split: number;
  found: Promise<Found>;
}

/** What this needs of a Worker (tests give a stand-in). */
export interface WorkerPort {
  postMessage(message: MirrorMessage, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent<SearchReply | SearchFailure>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
  terminate(): void;
}

interface Waiting {
  resolve: (found: Found) => void;
  reject: (error: Error) => void;
}

export class SearchWorker {
  private worker: WorkerPort | null = null;
  /** The worker could not start or broke: the panel searches alone from then on. */
  private failed = false;
  /** The log's frames before this, and its `first` as of the last update, are in the copy. */
  private sent = 0;
  private sentFirst = 0;
  private nextId = 0;
  private readonly waiting = new Map<number, Waiting>();

  constructor(
    private readonly log: FrameLog,
    private readonly start: () => WorkerPort,
  ) {}

  /** Copies what the log took and let go since the last call; starts the worker once the log is long enough. */
  sync(): void {
    const { log } = this;
    if (!this.worker && !this.launch()) return;
    const from = Math.max(this.sent, log.first);
    const count = log.next - from;
    if (count === 0 && log.first === this.sentFirst) return;
    const socket = new Uint32Array(count);
    const flags = new Uint8Array(count);
    const preview = new Array<string>(count);
    let slot = from % log.capacity;
    for (let i = 0; i < count; i++) {
      socket[i] = log.socket[slot];
      flags[i] = log.flags[slot];
      preview[i] = log.preview[slot];
      if (++slot === log.capacity) slot = 0;
    }
    const update = { type: 'frames', capacity: log.capacity, first: log.first, payloadFrom: log.payloadFrom, from, socket, flags, preview } as const;
    (this.worker as WorkerPort).postMessage(update, [socket.buffer, flags.buffer]);
    this.sent = log.next;
    this.sentFirst = log.first;
  }

  /** Starts the search of the log's older half in the worker; null when the panel should search the whole log. */
  searchOlder(filter: FrameFilter, socket: number | null): OlderSearch | null {
    this.sync();
    const { log, worker } = this;
    if (!worker || log.length < SPLIT_MIN) return null;
    const from = log.first;
    const split = from + Math.floor(log.length / 2);
    const id = this.nextId++;
    const found = new Promise<Found>((resolve, reject) => this.waiting.set(id, { resolve, reject }));
    worker.postMessage({ type: 'search', id, filter, socket, from, to: split }, []);
    return { split, found };
  }

  /** Stops the worker; searches still waiting fail (their views search for themselves). */
  close(): void {
    this.fail(new Error('the search worker was closed'));
  }

  private launch(): boolean {
    if (this.failed || this.log.length < SPLIT_MIN) return false;
    try {
      this.worker = this.start();
    } catch (error) {
      this.fail(error as Error);
      return false;
    }
    this.worker.onmessage = ({ data: reply }) => {
      const waiting = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      if ('error' in reply) waiting?.reject(new Error(reply.error));
      else waiting?.resolve({ shown: reply.shown, unsettled: IndexBuffer.of(reply.unsettled, reply.unsettledLength) });
    };
    this.worker.onerror = () => this.fail(new Error('the search worker failed'));
    return true;
  }

  private fail(error: Error): void {
    this.failed = true;
    this.worker?.terminate();
    this.worker = null;
    for (const waiting of this.waiting.values()) waiting.reject(error);
    this.waiting.clear();
  }
}
