// The messages a filter lets through, of one socket or all: the log indices
// that match, kept up to date as messages arrive (only new ones are tested) and
// as the log lets old ones go. Messages only a full payload can settle wait in
// `unsettled` until `settle` searches them, a slice of time at a time, so
// the first answer comes from the previews at once and never waits on them.
// A large log's older part is searched by a worker meanwhile
// (./search-worker.ts), chunk by chunk from the oldest message up; the view
// takes chunks from the top of that part, a task each, until the two meet,
// and the matches join the view once all are in.
import { CHUNK } from './log-mirror';
import { filterRange, searchRange, type CompiledFilter } from './message-filter';
import type { MessageLog, LoggedMessage } from '../model/message-log';
import { IndexBuffer } from '../model/index-buffer';
import { MatchBits } from './match-bits';
import { nextTask } from './next-task';
import type { Found, OlderSearch } from './split-search';
import type { MessageList } from '../model/store';

/** Messages searched between two looks at the clock. */
const SETTLE_STEP = 64;

export class MessageView implements MessageList {
  private readonly shown: MatchBits;
  /** Log indices below this were tested. */
  private scanned: number;
  /** Log indices of messages waiting for `deep`, ascending; those before `unsettledHead` are done. */
  private readonly unsettled = new IndexBuffer();
  private unsettledHead = 0;
  /** The worker's search of the older part, until it is done. */
  private older: OlderSearch | null;
  /** The worker searched [older.from, workerTo); the view, from `ownFrom` on. */
  private workerTo = 0;
  private ownFrom = 0;
  /** The worker cannot go on: the view searches the rest itself. */
  private alone = false;
  private turnPending = false;
  /** Unsettled messages of the older part, the worker's then the view's (both ascending), until they join `unsettled`. */
  private readonly olderUnsettled = new IndexBuffer();
  private readonly takenUnsettled = new IndexBuffer();
  private done: () => void = () => {};
  /** Resolves once the older part's matches joined the view (at once if there was none). */
  readonly complete: Promise<void>;

  constructor(
    private readonly log: MessageLog,
    /** The socket's number in the log; null for every socket's messages. */
    private readonly socket: number | null,
    private readonly filter: CompiledFilter,
    older: OlderSearch | null = null,
  ) {
    this.shown = new MatchBits(log.first, log.length);
    this.scanned = older?.split ?? log.first;
    this.refresh();
    this.older = older;
    if (!older) {
      this.complete = Promise.resolve();
      return;
    }
    this.workerTo = older.from;
    this.ownFrom = older.split;
    this.complete = new Promise((resolve) => (this.done = resolve));
    older.listen({
      found: (chunk) => this.addOlder(chunk),
      failed: () => {
        this.alone = true;
        this.takeTurn();
      },
      ended: () => this.close(),
    });
    this.takeTurn();
  }

  /** Tests what arrived since, and forgets what the log let go. */
  refresh(): void {
    const { log } = this;
    filterRange(log, this.filter.test, this.socket, Math.max(this.scanned, log.first), log.next, this.shown, this.unsettled);
    this.scanned = log.next;
    this.shown.dropBelow(log.first);
  }

  /** Messages of the older part still to search. */
  get olderCount(): number {
    return this.older ? Math.max(0, this.ownFrom - Math.max(this.workerTo, this.log.first)) : 0;
  }

  /** The view is no longer shown: the worker stops, and so does the view's share of the older part. */
  close(): void {
    this.older?.limit(this.older.from);
    this.older = null;
  }

  /** Messages still to search in full. */
  get unsettledCount(): number {
    return this.unsettled.length - this.unsettledHead;
  }

  /** Searches unsettled messages in full until `deadline` (performance.now()) or the end; true if some are left. */
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

  at(position: number): LoggedMessage | undefined {
    const index = this.shown.select(position);
    return index < 0 ? undefined : this.log.get(index);
  }

  positionOf(index: number): number {
    return this.shown.positionOf(index);
  }

  private takeTurn(): void {
    if (this.turnPending) return;
    this.turnPending = true;
    nextTask(() => {
      this.turnPending = false;
      this.turn();
    });
  }

  /**
   * Searches the newest chunk of the older part not yet searched, unless it
   * is the one the worker is on; then takes another turn. The worker may have
   * begun that chunk too, its answer still on the way: it is searched twice,
   * and the worker's answer left out.
   */
  private turn(): void {
    const { older, log } = this;
    if (!older) return;
    const floor = Math.max(this.workerTo, log.first);
    if (this.ownFrom <= floor) return this.join();
    if (!this.alone && this.ownFrom - floor <= CHUNK) return;
    const from = Math.max(this.ownFrom - CHUNK, floor);
    older.limit(from);
    const { shown, unsettled } = searchRange(log, this.filter.test, this.socket, from, this.ownFrom);
    this.shown.or(shown.raw);
    this.takenUnsettled.prepend(unsettled);
    this.ownFrom = from;
    this.takeTurn();
  }

  /** A chunk the worker searched: its matches count unless the view searched it too. */
  private addOlder({ to, shown, unsettled }: Found): void {
    if (!this.older) return;
    if (to <= this.ownFrom) {
      this.shown.or(shown);
      for (let i = 0; i < unsettled.length; i++) this.olderUnsettled.push(unsettled.at(i));
    }
    this.workerTo = to;
    if (this.ownFrom <= this.workerTo) this.join();
  }

  /** Every message of the older part was searched: its unsettled messages go ahead of the view's own. */
  private join(): void {
    this.older = null;
    this.shown.dropBelow(this.log.first);
    this.unsettled.dropFirst(this.unsettledHead);
    this.unsettledHead = 0;
    this.takenUnsettled.prepend(this.olderUnsettled);
    this.unsettled.prepend(this.takenUnsettled);
    this.done();
  }
}
