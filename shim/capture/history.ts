// The page's bounded message history: what a panel opened late (or reconnected
// after the service worker restarted) is replayed from. Oldest messages go first,
// per socket past `messagesPerSocket` and page-wide past `bytes`; every eviction
// is reported so the loss is counted, never silent.
import { Deque } from '../realm/deque';
import type { Direction, MessageMark, MessageType } from '../wire/records';
import { SafeMap } from '../realm/safe-collections';

export interface Entry {
  seq: number;
  socketId: number;
  direction: Direction;
  type: MessageType;
  size: number;
  time: number;
  /** Text, or a private copy of the bytes; null while a Blob is still being read. */
  payload: string | Uint8Array | null;
  /** What the entry counts against the page's budget: the payload it keeps (a long one is kept cut). */
  weight: number;
  /** The text kept is only the start of what passed. */
  cut: boolean;
  /** Sockscope sent, injected, edited, dropped or mocked it. */
  mark: MessageMark | null;
  /** An edited message's data before the edit: text, or a copy of (a prefix of) its bytes. */
  original: string | Uint8Array | null;
  evicted: boolean;
}

export interface HistoryLimits {
  messagesPerSocket: number;
  bytes: number;
}

export const DEFAULT_LIMITS: HistoryLimits = { messagesPerSocket: 1_000, bytes: 8 * 1024 * 1024 };

export class History {
  /** Every retained entry in seq order, plus tombstones of entries evicted per socket. */
  private readonly all = new Deque<Entry>();
  private tombstones = 0;
  private readonly sockets = new SafeMap<number, Deque<Entry>>();
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
    if (!own) this.sockets.set(entry.socketId, (own = new Deque()));
    own.push(entry);
    this.bytes += entry.weight;
    if (own.length > this.limits.messagesPerSocket) this.evict(own.shift()!);
    while (this.bytes > this.limits.bytes && this.all.length > 0) this.evictOldest();
    this.sweep();
  }

  /**
   * Visits retained entries with seq greater than `seq`, oldest first, while
   * `visit` returns true. (A loop, not a generator: generators' `next` is the
   * page's to patch.)
   */
  forEachAfter(seq: number, visit: (entry: Entry) => boolean): void {
    const all = this.all;
    let lo = 0;
    let hi = all.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (all.at(mid)!.seq <= seq) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < all.length; i++) {
      const entry = all.at(i)!;
      if (!entry.evicted && !visit(entry)) return;
    }
  }

  /** Retained entries, of one socket or of all, oldest first. */
  entries(socketId?: number): Entry[] {
    if (socketId !== undefined) return this.sockets.get(socketId)?.toArray() ?? [];
    const out: Entry[] = [];
    this.forEachAfter(0, (entry) => ((out[out.length] = entry), true));
    return out;
  }

  /** Forgets a socket and its messages (used when too many sockets are kept). */
  removeSocket(socketId: number): void {
    const own = this.sockets.get(socketId);
    if (!own) return;
    for (let i = 0; i < own.length; i++) this.evict(own.at(i)!);
    this.sockets.delete(socketId);
    this.sweep();
  }

  private evictOldest(): void {
    while (this.all.length > 0) {
      const entry = this.all.shift()!;
      if (entry.evicted) {
        this.tombstones--;
        continue;
      }
      // The oldest entry overall is also the oldest of its socket.
      this.sockets.get(entry.socketId)?.shift();
      entry.evicted = true;
      this.bytes -= entry.weight;
      this.onEvict(entry);
      return;
    }
  }

  /** Marks an entry evicted that the socket queue already let go of; `all` drops it lazily. */
  private evict(entry: Entry): void {
    entry.evicted = true;
    this.bytes -= entry.weight;
    this.tombstones++;
    this.onEvict(entry);
  }

  /** Keeps tombstones from outnumbering live entries, so memory stays proportional to what is retained. */
  private sweep(): void {
    if (this.tombstones < 1024 || this.tombstones * 2 < this.all.length) return;
    this.all.retain((e) => !e.evicted);
    this.tombstones = 0;
  }
}
