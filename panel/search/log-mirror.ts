// A copy of the log's filter columns (socket, flags, preview) in a worker, so
// that a filter over a large log runs on two cores: the worker searches the
// older part of the log, a chunk at a time from the oldest message up, while the
// panel searches the newer part and then takes the worker's chunks from the
// top down until the two meet (./message-view.ts). Whichever thread gets more of
// the machine does more of the search.
// The copy follows the log by updates the panel posts: the messages it took
// since the last one, and the oldest it still holds.
import { compileFilter, searchRange, type CompiledFilter, type MessageColumns, type MessageFilter } from './message-filter';
import type { MatchBits } from './match-bits';
import { nextTask } from './next-task';

/** Messages per chunk of a search: a few milliseconds' work, so that each thread soon hears what the other did. */
export const CHUNK = 32_768;

/** Where the chunk that holds `index` (below `split`) ends, chunks being cut every CHUNK messages down from the split: the panel takes back whole chunks, from the top. */
const chunkEnd = (split: number, index: number): number => split - CHUNK * Math.floor((split - 1 - index) / CHUNK);

/** Messages [from, from + preview.length) as the log holds them, and what it holds now. */
export interface MirrorUpdate {
  type: 'messages';
  capacity: number;
  /** The log's oldest message. */
  first: number;
  payloadFrom: number;
  from: number;
  socket: Uint32Array;
  flags: Uint8Array;
  preview: string[];
}

/** Filter messages [from, to) of one socket (or, null, every one), a chunk at a time; it ends any search before it. */
export interface SearchRequest {
  type: 'search';
  id: number;
  filter: MessageFilter;
  socket: number | null;
  from: number;
  to: number;
}

/** Search `id` stops at `to`: the panel searches from there on itself (`to` = the search's `from`: it needs nothing more). */
export interface SearchLimit {
  type: 'limit';
  id: number;
  to: number;
}

/** What a chunk [from, to) of a search found: the matches as MatchBits' words, the unsettled messages as the first `unsettledLength` indices. */
export interface SearchReply {
  id: number;
  to: number;
  shown: MatchBits['raw'];
  unsettled: Float64Array;
  unsettledLength: number;
}

/** The worker could not search: a bug, which the panel works around by searching itself. */
export interface SearchFailure {
  id: number;
  error: string;
}

export type MirrorMessage = MirrorUpdate | SearchRequest | SearchLimit;

interface Running {
  id: number;
  /** The search's first `to`, where its chunks are cut from. */
  split: number;
  test: CompiledFilter['test'];
  socket: number | null;
  /** Messages before this were searched. */
  next: number;
  to: number;
}

/** The worker's side: the copy, and the search under way over it, which `step` takes a chunk further. */
export class LogMirror implements MessageColumns {
  /** The log's, known from the first update. */
  capacity = 0;
  socket = new Uint32Array(0);
  flags = new Uint8Array(0);
  preview: string[] = [];
  payloadFrom = 0;
  private first = 0;
  private next = 0;
  private running: Running | null = null;

  /** Applies an update, starts a search or limits one; a failure only if this code has a bug. */
  receive(message: MirrorMessage): SearchFailure | null {
    if (message.type === 'messages') this.update(message);
    else if (message.type === 'limit') {
      if (this.running?.id === message.id) this.running.to = Math.min(this.running.to, message.to);
    } else {
      this.running = null;
      const { id, filter, socket, from, to } = message;
      if (from < this.first || to > this.next) return { id, error: `messages ${from}–${to - 1} are not all mirrored (held: ${this.first}–${this.next - 1})` };
      try {
        this.running = { id, split: to, test: compileFilter(filter, this).test, socket, next: from, to };
      } catch (error) {
        return { id, error: String(error) };
      }
    }
    return null;
  }

  /**
   * Searches the next chunk of the search under way, and ends it with the
   * chunk that reaches its `to`; null once none is under way. Messages the log
   * let go since the search began are skipped: their slots hold newer ones.
   */
  step(): SearchReply | null {
    const run = this.running;
    if (!run) return null;
    if (run.next >= run.to) {
      // The panel took back the rest, the chunk just searched included.
      this.running = null;
      return null;
    }
    const from = Math.min(Math.max(run.next, this.first), run.to);
    const to = Math.min(chunkEnd(run.split, from), run.to);
    const { shown, unsettled } = searchRange(this, run.test, run.socket, from, to);
    run.next = to;
    if (to === run.to) this.running = null;
    return { id: run.id, to, shown: shown.raw, unsettled: unsettled.data, unsettledLength: unsettled.length };
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
}

/** The worker's loop: applies the panel's messages, and searches a chunk per task (so that a newer search or a limit is read between chunks), posting each chunk's answer. */
export function serveMirror(mirror: LogMirror, post: (reply: SearchReply | SearchFailure) => void): (message: MirrorMessage) => void {
  let stepping = false;
  const step = () => {
    const reply = mirror.step();
    stepping = reply !== null;
    if (!reply) return;
    post(reply);
    nextTask(step);
  };
  return (message) => {
    const failure = mirror.receive(message);
    if (failure) post(failure);
    if (!stepping) {
      stepping = true;
      nextTask(step);
    }
  };
}
