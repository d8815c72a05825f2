// The frames a filter lets through, of one socket or all: the log indices
// that match, kept up to date as frames arrive (only new ones are tested) and
// as the log lets old ones go. Frames only a full payload can settle wait in
// `unsettled` until `settle` searches them, a slice of time at a time, so
// the first answer comes from the previews at once and never waits on them.
// A large log's older half may be searched by a worker meanwhile
// (./search-worker.ts): its matches join the view when they come.
import { filterRange, type CompiledFilter } from './frame-filter';
import type { FrameLog, LoggedFrame } from './frame-log';
import { IndexBuffer } from './index-buffer';
import type { Found, OlderSearch } from './search-worker';
import { searchIndex, type FrameList } from './store';

/** Frames searched between two looks at the clock. */
const SETTLE_STEP = 64;

export class FrameView implements FrameList {
  private indices: IndexBuffer;
  /** Matches before this position were let go by the log. */
  private head = 0;
  /** Log indices below this were tested. */
  private scanned: number;
  /** Log indices of frames waiting for `deep`, ascending; those before `unsettledHead` are done. */
  private readonly unsettled = new IndexBuffer();
  private unsettledHead = 0;
  /** Frames searched elsewhere whose matches have not come yet. */
  private olderPending = 0;
  /** Resolves once the older frames' matches joined the view (at once if there were none to wait for). */
  readonly complete: Promise<void>;

  constructor(
    private readonly log: FrameLog,
    /** The socket's number in the log; null for every socket's frames. */
    private readonly socket: number | null,
    private readonly filter: CompiledFilter,
    older: OlderSearch | null = null,
  ) {
    const first = log.first;
    this.scanned = older?.split ?? first;
    this.indices = new IndexBuffer(log.length);
    this.refresh();
    if (!older) {
      this.complete = Promise.resolve();
      return;
    }
    this.olderPending = older.split - first;
    // Should the worker fail, the panel searches those frames itself.
    this.complete = older.found
      .catch(() => this.search(first, older.split))
      .then((found) => this.addOlder(found));
  }

  /** Tests what arrived since, and forgets what the log let go. */
  refresh(): void {
    const { log, indices } = this;
    filterRange(log, this.filter.test, this.socket, Math.max(this.scanned, log.first), log.next, indices, this.unsettled);
    this.scanned = log.next;
    this.forgetEvicted();
  }

  /** Frames searched elsewhere whose matches are still to come. */
  get olderCount(): number {
    return this.olderPending;
  }

  /** Frames still to search in full. */
  get unsettledCount(): number {
    return this.unsettled.length - this.unsettledHead;
  }

  /** Searches unsettled frames in full until `deadline` (performance.now()) or the end; true if some are left. */
  settle(deadline: number): boolean {
    const { log, unsettled } = this;
    const found: number[] = [];
    while (this.unsettledHead < unsettled.length && performance.now() < deadline) {
      const end = Math.min(this.unsettledHead + SETTLE_STEP, unsettled.length);
      for (; this.unsettledHead < end; this.unsettledHead++) {
        const index = unsettled.at(this.unsettledHead);
        // The log may have let it go meanwhile.
        if (log.has(index) && this.filter.deep(log.get(index).data)) found.push(index);
      }
    }
    if (this.unsettledHead === unsettled.length) {
      unsettled.dropFirst(unsettled.length);
      this.unsettledHead = 0;
    }
    if (found.length > 0) this.merge(found);
    return this.unsettledCount > 0;
  }

  get length(): number {
    return this.indices.length - this.head;
  }

  at(position: number): LoggedFrame | undefined {
    return position < 0 || position >= this.length ? undefined : this.log.get(this.indices.at(this.head + position));
  }

  positionOf(index: number): number {
    return searchIndex(this.length, (position) => this.indices.at(this.head + position), index);
  }

  private search(from: number, to: number): Found {
    const found = { shown: new IndexBuffer(to - from), unsettled: new IndexBuffer() };
    filterRange(this.log, this.filter.test, this.socket, Math.max(from, this.log.first), to, found.shown, found.unsettled);
    return found;
  }

  /** The older frames' matches, all before the view's own. */
  private addOlder({ shown, unsettled }: Found): void {
    this.indices.dropFirst(this.head);
    this.head = 0;
    this.indices.prepend(shown);
    this.unsettled.dropFirst(this.unsettledHead);
    this.unsettledHead = 0;
    this.unsettled.prepend(unsettled);
    this.olderPending = 0;
    this.forgetEvicted();
  }

  private forgetEvicted(): void {
    const { log, indices } = this;
    while (this.head < indices.length && indices.at(this.head) < log.first) this.head++;
    // Compact now and then: the buffer does not grow with what was let go.
    if (this.head > 4096 && this.head > indices.length / 2) {
      indices.dropFirst(this.head);
      this.head = 0;
    }
  }

  /** Adds ascending log indices to the matches, which stay ascending. */
  private merge(found: number[]): void {
    const old = this.indices;
    const merged = new IndexBuffer();
    let i = this.head;
    let j = 0;
    while (i < old.length || j < found.length) merged.push(j === found.length || (i < old.length && old.at(i) < found[j]) ? old.at(i++) : found[j++]);
    this.indices = merged;
    this.head = 0;
  }
}
