// A filter over a large log runs on two cores: a worker, which holds a copy
// of the filter columns (./log-mirror.ts), searches the older part of the
// log from the oldest message up, a chunk at a time, while the panel searches
// the rest and then takes chunks from the top of the worker's part until the
// two meet (./message-view.ts). The regular expression is most of a filter's
// time, and a million previews take one core longer than a keystroke should;
// sharing the work chunk by chunk, not in fixed halves, keeps a thread that
// waits for a core from holding up the answer. Small logs are searched by
// the panel alone: the copy starts once the log is long enough to gain from it.
import type { MessageFilter } from './message-filter';
import type { MessageLog } from '../model/message-log';
import type { MirrorMessage, SearchFailure, SearchReply } from './log-mirror';
import { IndexBuffer } from '../model/index-buffer';
import type { MatchBits } from './match-bits';

/** Logs shorter than this are searched by the panel alone (a round trip to the worker would cost more). */
export const SPLIT_MIN = 50_000;
/** The worker's part of a search to begin with: the panel searches the newest quarter before the view first shows, then takes more as it can. */
const WORKER_SHARE = 0.75;

/** The matches of a chunk of a log that ends at `to`, and the messages only their full payload can settle. */
export interface Found {
  to: number;
  shown: MatchBits['raw'];
  unsettled: IndexBuffer;
}

/** What the worker's search tells its view. */
export interface OlderListener {
  /** A chunk's matches; chunks come in order, from the search's `from` up (the first may be short). */
  found(chunk: Found): void;
  /** The worker cannot go on: the view searches the rest itself. */
  failed(): void;
  /** A newer search took the worker: this one's view is no longer shown. */
  ended(): void;
}

/** Messages [from, split) are the worker's to search, chunk by chunk (cut every CHUNK messages down from the split), until `limit` takes some back. */
export interface OlderSearch {
  readonly from: number;
  readonly split: number;
  listen(listener: OlderListener): void;
  /** The worker searches nothing from `to` on (the view does); `to` = `from` stops it. */
  limit(to: number): void;
}

/** What this needs of a Worker (tests give a stand-in). */
export interface WorkerPort {
  postMessage(message: MirrorMessage, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent<SearchReply | SearchFailure>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
  terminate(): void;
}

export class SplitSearch {
  private worker: WorkerPort | null = null;
  /** The worker could not start or broke: the panel searches alone from then on. */
  private failed = false;
  /** The log's messages before this, and its `first` as of the last update, are in the copy. */
  private sent = 0;
  private sentFirst = 0;
  private nextId = 0;
  /** The search under way, and who hears of it (the worker runs one at a time). */
  private current: { id: number; listener: OlderListener | null } | null = null;

  constructor(
    private readonly log: MessageLog,
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
    const update = { type: 'messages', capacity: log.capacity, first: log.first, payloadFrom: log.payloadFrom, from, socket, flags, preview } as const;
    (this.worker as WorkerPort).postMessage(update, [socket.buffer, flags.buffer]);
    this.sent = log.next;
    this.sentFirst = log.first;
  }

  /** Starts the worker on the log's older part; null when the panel should search the whole log. A newer search ends the one before. */
  searchOlder(filter: MessageFilter, socket: number | null): OlderSearch | null {
    this.sync();
    const { log, worker } = this;
    if (!worker || log.length < SPLIT_MIN) return null;
    const id = this.nextId++;
    const previous = this.current;
    const current = (this.current = { id, listener: null as OlderListener | null });
    // Ended after the newer search took its place, the older view's close posts no limit: the newer search replaces it in the worker anyway.
    previous?.listener?.ended();
    const from = log.first;
    const split = from + Math.floor(log.length * WORKER_SHARE);
    worker.postMessage({ type: 'search', id, filter, socket, from, to: split }, []);
    return {
      from,
      split,
      listen: (listener) => {
        current.listener = listener;
      },
      limit: (to) => {
        if (this.current === current) this.worker?.postMessage({ type: 'limit', id, to }, []);
      },
    };
  }

  /** Stops the worker; a search under way is left to its view. */
  close(): void {
    this.fail();
  }

  private launch(): boolean {
    if (this.failed || this.log.length < SPLIT_MIN) return false;
    try {
      this.worker = this.start();
    } catch {
      this.fail();
      return false;
    }
    this.worker.onmessage = ({ data: reply }) => {
      const listener = this.current?.id === reply.id ? this.current.listener : null;
      if (!listener) return;
      if ('error' in reply) {
        this.current = null;
        listener.failed();
      } else listener.found({ to: reply.to, shown: reply.shown, unsettled: IndexBuffer.of(reply.unsettled, reply.unsettledLength) });
    };
    this.worker.onerror = () => this.fail();
    return true;
  }

  /** From now on the panel searches alone, the search under way included. */
  private fail(): void {
    this.failed = true;
    this.worker?.terminate();
    this.worker = null;
    this.current?.listener?.failed();
    this.current = null;
  }
}
