// The frames a filter lets through, of one socket or all: the log indices
// that match, kept up to date as frames arrive (only new ones are tested) and as
// the log lets old ones go.
import type { FrameLog, LoggedFrame } from './frame-log';
import { searchIndex, type FrameList } from './store';

export class FrameView implements FrameList {
  private readonly indices: number[] = [];
  /** Matches before this position were let go by the log. */
  private head = 0;
  /** Log indices below this were tested. */
  private scanned: number;

  constructor(
    private readonly log: FrameLog,
    /** The socket's number in the log; null for every socket's frames. */
    private readonly socket: number | null,
    /** Whether a frame shows, by its slot in the log's columns. */
    private readonly test: (slot: number) => boolean,
  ) {
    this.scanned = log.first;
    this.refresh();
  }

  /** Tests what arrived since, and forgets what the log let go. */
  refresh(): void {
    const { log, indices, socket, test } = this;
    const sockets = log.columns.socket;
    log.scan(this.scanned, (index, slot) => {
      if ((socket === null || sockets[slot] === socket) && test(slot)) indices.push(index);
    });
    this.scanned = log.next;
    while (this.head < this.indices.length && this.indices[this.head] < log.first) this.head++;
    // Compact now and then: the array does not grow with what was let go.
    if (this.head > 4096 && this.head > this.indices.length / 2) {
      this.indices.splice(0, this.head);
      this.head = 0;
    }
  }

  get length(): number {
    return this.indices.length - this.head;
  }

  at(position: number): LoggedFrame | undefined {
    const index = this.indices[this.head + position];
    return index === undefined || position < 0 ? undefined : this.log.get(index);
  }

  positionOf(index: number): number {
    return searchIndex(this.length, (position) => this.indices[this.head + position], index);
  }
}
