// The frames a filter lets through, of one socket or all: the log indices
// that match, kept up to date as frames arrive (only new ones are tested) and
// as the log lets old ones go. Frames only a full payload can settle wait in
// `unsettled` until `settle` searches them, a slice of time at a time, so
// the first answer comes from the previews at once and never waits on them.
import { SHOWN, UNSETTLED, type CompiledFilter } from './frame-filter';
import type { FrameLog, LoggedFrame } from './frame-log';
import { searchIndex, type FrameList } from './store';

/** Frames searched between two looks at the clock. */
const SETTLE_STEP = 64;

/** Log indices in a growable typed array, which a million pushes fill faster than an array. */
class IndexBuffer {
  private data: Float64Array;
  length = 0;

  /** `capacity`: how many are expected, so that filling them allocates once. */
  constructor(capacity = 0) {
    this.data = new Float64Array(Math.max(1024, capacity));
  }

  push(index: number): void {
    if (this.length === this.data.length) {
      const grown = new Float64Array(2 * this.data.length);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = index;
  }

  at(position: number): number {
    return this.data[position];
  }

  /** Drops the first `n`. */
  dropFirst(n: number): void {
    this.data.copyWithin(0, n, this.length);
    this.length -= n;
  }
}

export class FrameView implements FrameList {
  private indices: IndexBuffer;
  /** Matches before this position were let go by the log. */
  private head = 0;
  /** Log indices below this were tested. */
  private scanned: number;
  /** Log indices of frames waiting for `deep`, ascending; those before `unsettledHead` are done. */
  private readonly unsettled = new IndexBuffer();
  private unsettledHead = 0;

  constructor(
    private readonly log: FrameLog,
    /** The socket's number in the log; null for every socket's frames. */
    private readonly socket: number | null,
    private readonly filter: CompiledFilter,
  ) {
    this.scanned = log.first;
    this.indices = new IndexBuffer(log.length);
    this.refresh();
  }

  /** Tests what arrived since, and forgets what the log let go. */
  refresh(): void {
    const { log, indices, unsettled, socket } = this;
    const { test } = this.filter;
    const sockets = log.columns.socket;
    log.scan(this.scanned, (index, slot) => {
      if (socket !== null && sockets[slot] !== socket) return;
      const verdict = test(slot);
      if (verdict === SHOWN) indices.push(index);
      else if (verdict === UNSETTLED) unsettled.push(index);
    });
    this.scanned = log.next;
    while (this.head < indices.length && indices.at(this.head) < log.first) this.head++;
    // Compact now and then: the buffer does not grow with what was let go.
    if (this.head > 4096 && this.head > indices.length / 2) {
      indices.dropFirst(this.head);
      this.head = 0;
    }
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
        // The log may have let it go meanwhile, or kept only its preview (then the preview said no).
        if (log.has(index) && this.filter.deep(log.slotOf(index))) found.push(index);
      }
    }
    if (this.unsettledHead === unsettled.length) {
      unsettled.dropFirst(unsettled.length);
      this.unsettledHead = 0;
    }
    if (found.length > 0) this.merge(found);
    return this.unsettledCount > 0;
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

  get length(): number {
    return this.indices.length - this.head;
  }

  at(position: number): LoggedFrame | undefined {
    return position < 0 || position >= this.length ? undefined : this.log.get(this.indices.at(this.head + position));
  }

  positionOf(index: number): number {
    return searchIndex(this.length, (position) => this.indices.at(this.head + position), index);
  }
}
