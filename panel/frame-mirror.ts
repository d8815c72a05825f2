// A copy of the log's filter columns (socket, flags, preview) in a worker, so
// that a filter over a large log runs on two cores: the worker searches the
// older part of the log while the panel searches the newer (./search-worker.ts).
// The copy follows the log by updates the panel posts: the frames it took
// since the last one, and the oldest it still holds.
import { compileFilter, searchRange, type FrameColumns, type FrameFilter } from './frame-filter';
import type { MatchBits } from './match-bits';

/** Frames [from, from + preview.length) as the log holds them, and what it holds now. */
export interface MirrorUpdate {
  type: 'frames';
  capacity: number;
  /** The log's oldest frame. */
  first: number;
  payloadFrom: number;
  from: number;
  socket: Uint32Array;
  flags: Uint8Array;
  preview: string[];
}

/** Filter frames [from, to) of one socket (or, null, every one); all are in the mirror. */
export interface SearchRequest {
  type: 'search';
  id: number;
  filter: FrameFilter;
  socket: number | null;
  from: number;
  to: number;
}

/** What a search found: the matches as MatchBits' words, the unsettled frames as the first `unsettledLength` indices. */
export interface SearchReply {
  id: number;
  shown: MatchBits['raw'];
  unsettled: Float64Array;
  unsettledLength: number;
}

/** The worker could not search: a bug, which the panel works around by searching itself. */
export interface SearchFailure {
  id: number;
  error: string;
}

export type MirrorMessage = MirrorUpdate | SearchRequest;

/** The worker's side: the copy, and the answers to searches over it. */
export class FrameMirror implements FrameColumns {
  /** The log's, known from the first update. */
  capacity = 0;
  socket = new Uint32Array(0);
  flags = new Uint8Array(0);
  preview: string[] = [];
  payloadFrom = 0;
  private first = 0;
  private next = 0;

  /** Applies an update, or answers a search (a failure only if this code has a bug). */
  receive(message: MirrorMessage): SearchReply | SearchFailure | null {
    if (message.type === 'frames') {
      this.update(message);
      return null;
    }
    try {
      return this.search(message);
    } catch (error) {
      return { id: message.id, error: String(error) };
    }
  }

  private update(update: MirrorUpdate): void {
    if (update.capacity !== this.capacity) {
      this.capacity = update.capacity;
      this.socket = new Uint32Array(update.capacity);
      this.flags = new Uint8Array(update.capacity);
      this.preview = new Array<string>(update.capacity).fill('');
    }
    // Previews the log let go (a clear lets go of all) are let go here too.
    for (let index = this.first; index < Math.min(update.first, this.next); index++) this.preview[index % this.capacity] = '';
    this.first = update.first;
    this.payloadFrom = update.payloadFrom;
    let slot = update.from % this.capacity;
    for (let i = 0; i < update.preview.length; i++) {
      this.socket[slot] = update.socket[i];
      this.flags[slot] = update.flags[i];
      this.preview[slot] = update.preview[i];
      if (++slot === this.capacity) slot = 0;
    }
    this.next = update.from + update.preview.length;
  }

  private search({ id, filter, socket, from, to }: SearchRequest): SearchReply {
    if (from < this.first || to > this.next) throw new RangeError(`frames ${from}–${to - 1} are not all mirrored (held: ${this.first}–${this.next - 1})`);
    const { shown, unsettled } = searchRange(this, compileFilter(filter, this).test, socket, from, to);
    return { id, shown: shown.raw, unsettled: unsettled.data, unsettledLength: unsettled.length };
  }
}
