// The page's bounded frame history: what a panel opened late (or reconnected
// after the service worker restarted) is replayed from. Oldest frames go first,
// per socket past `framesPerSocket` and page-wide past `bytes`; every eviction
// is reported so the loss is counted, never silent.
import type { Direction, FrameType } from './protocol';

export interface Entry {
  seq: number;
  socketId: number;
  direction: Direction;
  type: FrameType;
  size: number;
  time: number;
  /** Text, or a private copy of the bytes; null while a Blob is still being read. */
  payload: string | Uint8Array | null;
  evicted: boolean;
}

export interface HistoryLimits {
  framesPerSocket: number;
  bytes: number;
}

export const DEFAULT_LIMITS: HistoryLimits = { framesPerSocket: 1_000, bytes: 8 * 1024 * 1024 };

/** Array with a moving head: O(1) amortised push and shift, compacted as the head advances. */
class Queue {
  items: Entry[] = [];
  head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  push(entry: Entry): void {
    this.items.push(entry);
  }

  shift(): Entry {
    const entry = this.items[this.head++];
    if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return entry;
  }

  live(): Entry[] {
    return this.items.slice(this.head);
  }
}

export class History {
  /** Every retained entry in seq order, plus tombstones of entries evicted per socket. */
  private all = new Queue();
  private tombstones = 0;
  private sockets = new Map<number, Queue>();
  private bytes = 0;

  constructor(
    private readonly limits: HistoryLimits,
    private readonly onEvict: (entry: Entry) => void,
  ) {}

  get byteSize(): number {
    return this.bytes;
  }

  add(entry: Entry): void {
    this.all.push(entry);
    let own = this.sockets.get(entry.socketId);
    if (!own) this.sockets.set(entry.socketId, (own = new Queue()));
    own.push(entry);
    this.bytes += entry.size;
    if (own.size > this.limits.framesPerSocket) this.evict(own.shift());
    while (this.bytes > this.limits.bytes && this.all.size > 0) this.evictOldest();
    this.sweep();
  }

  /** Retained entries with seq greater than `seq`, oldest first. */
  *after(seq: number): Generator<Entry> {
    const { items } = this.all;
    let lo = this.all.head;
    let hi = items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (items[mid].seq <= seq) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < items.length; i++) if (!items[i].evicted) yield items[i];
  }

  /** Retained entries, of one socket or of all, oldest first. */
  entries(socketId?: number): Entry[] {
    if (socketId !== undefined) return this.sockets.get(socketId)?.live() ?? [];
    return this.all.live().filter((e) => !e.evicted);
  }

  /** Forgets a socket and its frames (used when too many sockets are kept). */
  removeSocket(socketId: number): void {
    const own = this.sockets.get(socketId);
    if (!own) return;
    for (const entry of own.live()) this.evict(entry);
    this.sockets.delete(socketId);
    this.sweep();
  }

  private evictOldest(): void {
    while (this.all.size > 0) {
      const entry = this.all.shift();
      if (entry.evicted) {
        this.tombstones--;
        continue;
      }
      // The oldest entry overall is also the oldest of its socket.
      this.sockets.get(entry.socketId)?.shift();
      entry.evicted = true;
      this.bytes -= entry.size;
      this.onEvict(entry);
      return;
    }
  }

  /** Marks an entry evicted that the socket queue already let go of; `all` drops it lazily. */
  private evict(entry: Entry): void {
    entry.evicted = true;
    this.bytes -= entry.size;
    this.tombstones++;
    this.onEvict(entry);
  }

  /** Keeps tombstones from outnumbering live entries, so memory stays proportional to what is retained. */
  private sweep(): void {
    if (this.tombstones < 1024 || this.tombstones * 2 < this.all.size) return;
    this.all.items = this.all.items.slice(this.all.head).filter((e) => !e.evicted);
    this.all.head = 0;
    this.tombstones = 0;
  }
}
