// The frames a filter lets through, of one socket or all: the log indices
// that match, kept up to date as frames arrive (only new ones are tested) and
// as the log lets old ones go. Frames only a full payload can settle wait in
// `unsettled` until `settle` searches them, a slice of time at a time, so
// the first answer comes from the previews at once and never waits on them.
// A large log's older half may be searched by a worker meanwhile
// (./search-worker.ts): its matches join the view when they come.
import { filterRange, searchRange, type CompiledFilter } from './frame-filter';
import type { FrameLog, LoggedFrame } from './frame-log';
import { IndexBuffer } from './index-buffer';
import { MatchBits } from './match-bits';
import type { Found, OlderSearch } from './search-worker';
import type { FrameList } from './store';

/** Frames searched between two looks at the clock. */
const SETTLE_STEP = 64;

export class FrameView implements FrameList {
  private readonly shown: MatchBits;
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
    this.shown = new MatchBits(first, log.length);
    this.scanned = older?.split ?? first;
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
    const { log } = this;
    filterRange(log, this.filter.test, this.socket, Math.max(this.scanned, log.first), log.next, this.shown, this.unsettled);
    this.scanned = log.next;
    this.shown.dropBelow(log.first);
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
    while (this.unsettledHead < unsettled.length && performance.now() < deadline) {
      const end = Math.min(this.unsettledHead + SETTLE_STEP, unsettled.length);
      for (; this.unsettledHead < end; this.unsettledHead++) {
        const index = unsettled.at(this.unsettledHead);
        // The log may have let it go meanwhile.
        if (log.has(index) && this.filter.deep(log.get(index).data)) this.shown.add(index);
      }
    }
    if (this.unsettledHead === unsettled.length) {
      unsettled.dropFirst(unsettled.length);
      this.unsettledHead = 0;
    }
    return this.unsettledCount > 0;
  }

  get length(): number {
    return this.shown.size;
  }

  at(position: number): LoggedFrame | undefined {
    const index = this.shown.select(position);
    return index < 0 ? undefined : this.log.get(index);
  }

  positionOf(index: number): number {
    return this.shown.positionOf(index);
  }

  /** Frames [from, to) searched here, as the worker would have. */
  private search(from: number, to: number): Found {
    const { shown, unsettled } = searchRange(this.log, this.filter.test, this.socket, Math.max(from, this.log.first), to);
    return { shown: shown.raw, unsettled };
  }

  /** The older frames' matches, all before the view's own. */
  private addOlder({ shown, unsettled }: Found): void {
    this.shown.or(shown);
    this.shown.dropBelow(this.log.first);
    this.unsettled.dropFirst(this.unsettledHead);
    this.unsettledHead = 0;
    this.unsettled.prepend(unsettled);
    this.olderPending = 0;
  }
}
