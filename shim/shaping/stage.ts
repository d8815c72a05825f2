// One stage a socket's messages pass through in one direction: the network
// (latency, jitter, bandwidth, message rate, stall) or the page as a consumer
// (message rate, pause, step). Items leave in the order they came, each when
// every constraint allows; settings can change at any time and apply to what
// is still held. Nothing here knows of sockets or timers of its own: the
// caller supplies a Scheduler, so tests run it on virtual time.
import { Deque } from '../realm/deque';
import { noop } from '../realm/natives';

export interface Scheduler {
  /** Milliseconds, monotonic. */
  now(): number;
  /** Calls `fn` once at `time` (or as soon after as it can); returns a cancel function. */
  at(time: number, fn: () => void): () => void;
  /** Calls `fn` in a task of its own, as soon as it can. */
  nextTask(fn: () => void): void;
}

export interface StageSettings {
  latencyMs: number;
  jitterMs: number;
  /** 0: unlimited. */
  bytesPerSecond: number;
  /** 0: unlimited. */
  messagesPerSecond: number;
  /** Nothing leaves (a stalled link, a paused consumer), except by `step()`. */
  paused: boolean;
}

export const PASS_THROUGH: StageSettings = { latencyMs: 0, jitterMs: 0, bytesPerSecond: 0, messagesPerSecond: 0, paused: false };

export interface Item {
  /** Payload bytes: what bandwidth and held-byte counts use. */
  size: number;
  /** A close or an error travels in order but takes no bandwidth or rate. */
  control: boolean;
  /** Hands the item on: to the next stage, the native socket, or the page. */
  deliver(): void;
}

interface Held {
  item: Item;
  arrival: number;
  /** This item's share of the jitter, in [-jitterMs, jitterMs], fixed on arrival. */
  jitter: number;
}

export class Stage {
  private settings: StageSettings = PASS_THROUGH;
  private readonly held = new Deque<Held>();
  private heldBytesCount = 0;
  /** When the last item finished crossing the bandwidth limit. */
  private wireFreeAt = Number.NEGATIVE_INFINITY;
  private lastRelease = Number.NEGATIVE_INFINITY;
  /** When the stage last stopped being paused: nothing crossed the wire before. */
  private resumedAt = Number.NEGATIVE_INFINITY;
  private cancelTimer: (() => void) | null = null;
  private steps = 0;
  private readonly knots = { t0: 0, v0: 0, t1: Number.NEGATIVE_INFINITY, v1: 0 };
  private releasing = false;
  /** An item was handed on in this task (see `taskPerItem`): the next waits for a new one. */
  private awaitingTask = false;
  /** Items and payload bytes handed on. */
  delivered = 0;
  deliveredBytes = 0;
  /** Milliseconds the items handed on were held here, summed: the panel charts the mean added delay. */
  heldMsTotal = 0;

  constructor(
    private readonly scheduler: Scheduler,
    /** Uniform in [0, 1). */
    private readonly random: () => number,
    /**
     * Hand on at most one item per task: the page sees each as an event, and
     * the browser dispatches each in a task of its own, with the microtasks
     * of one run before the next is dispatched.
     */
    private readonly taskPerItem = false,
  ) {}

  get heldCount(): number {
    return this.held.length;
  }

  get heldBytes(): number {
    return this.heldBytesCount;
  }

  configure(settings: StageSettings): void {
    if (this.settings.paused && !settings.paused) this.resumedAt = this.scheduler.now();
    this.settings = settings;
    this.schedule();
  }

  /**
   * True when an item arriving now would leave at once: nothing held, nothing
   * limiting. The caller may then let it through untouched (a native event
   * stays the native event) and must call `passed` for it.
   */
  wouldPass(size: number, control: boolean): boolean {
    if (this.held.length > 0 || this.awaitingTask) return false;
    const now = this.scheduler.now();
    return !this.settings.paused && this.releaseTime({ item: { size, control, deliver: noop }, arrival: now, jitter: 0 }) <= now;
  }

  /** `wouldPass`, counting the item as passed when it would. */
  admit(size: number, control: boolean): boolean {
    if (!this.wouldPass(size, control)) return false;
    this.passed(size, control);
    return true;
  }

  /** Counts an item that `wouldPass` let through. */
  passed(size: number, control: boolean): void {
    this.commit({ item: { size, control, deliver: noop }, arrival: this.scheduler.now(), jitter: 0 }, this.scheduler.now());
  }

  push(item: Item): void {
    const now = this.scheduler.now();
    const { jitterMs } = this.settings;
    const jitter = jitterMs > 0 && !item.control ? jitterMs * this.noise(now, 2 * jitterMs) : 0;
    this.held.push({ item, arrival: now, jitter });
    if (!item.control) this.heldBytesCount += item.size;
    this.release();
  }

  /**
   * Jitter that keeps order without piling up: a random value in [-1, 1] that
   * varies smoothly over time (straight lines between random points `period`
   * apart). Its slope is at most 2 / period; with period = 2 × jitterMs the
   * delay never falls faster than time passes, so a later message never
   * overtakes an earlier one, and dense traffic sees delays spread evenly
   * around the latency rather than climbing to its maximum.
   */
  private noise(time: number, period: number): number {
    const knots = this.knots;
    if (!(time < knots.t1 + period)) {
      knots.t0 = time;
      knots.v0 = this.random() * 2 - 1;
      knots.t1 = time + period;
      knots.v1 = this.random() * 2 - 1;
    }
    while (time > knots.t1) {
      knots.t0 = knots.t1;
      knots.v0 = knots.v1;
      knots.t1 += period;
      knots.v1 = this.random() * 2 - 1;
    }
    return knots.v0 + ((knots.v1 - knots.v0) * (time - knots.t0)) / (knots.t1 - knots.t0);
  }

  /** Lets one held item leave now, whatever holds it (a paused consumer's "step"). */
  step(): void {
    if (this.held.length === 0) return;
    this.steps++;
    this.release();
  }

  /** Forgets the messages held, keeping the controls (a close, an error) in their order: the page closed, and no message follows. */
  discardMessages(): void {
    this.held.retain((held) => held.item.control);
    this.heldBytesCount = 0;
    this.schedule();
  }

  /** Forgets everything held (the connection was dropped); returns how many items. */
  clear(): number {
    const count = this.held.length;
    this.held.clear();
    this.heldBytesCount = 0;
    this.steps = 0;
    this.cancelTimer?.();
    this.cancelTimer = null;
    return count;
  }

  /** When `held`, at the head, may leave: after the one before it, the wire, latency and jitter, and the rate. */
  private releaseTime(held: Held): number {
    const { latencyMs, messagesPerSecond } = this.settings;
    const arrived = this.wireEnd(held) + max(0, latencyMs + held.jitter);
    if (held.item.control) return max(this.lastRelease, arrived);
    const spaced = messagesPerSecond > 0 ? this.lastRelease + 1000 / messagesPerSecond : this.lastRelease;
    return max(spaced, arrived);
  }

  /** When `held` has finished crossing the bandwidth limit, having started as soon as it could. */
  private wireEnd(held: Held): number {
    const { bytesPerSecond } = this.settings;
    const start = max(max(this.wireFreeAt, held.arrival), this.resumedAt);
    return bytesPerSecond > 0 && !held.item.control ? start + (held.item.size * 1000) / bytesPerSecond : start;
  }

  private commit(held: Held, now: number): void {
    this.wireFreeAt = this.wireEnd(held);
    this.lastRelease = now;
    if (!held.item.control) {
      this.delivered++;
      this.deliveredBytes += held.item.size;
      this.heldMsTotal += now - held.arrival;
    }
  }

  /** Hands on every head item whose time has come; then waits for the next one. */
  private release(): void {
    // A delivery may push into this stage again (a page handler that sends): finish this loop first.
    if (this.releasing) return;
    this.releasing = true;
    try {
      for (;;) {
        const head = this.held.at(0);
        if (!head || this.awaitingTask) break;
        const now = this.scheduler.now();
        const stepping = this.steps > 0;
        if (!stepping && (this.settings.paused || this.releaseTime(head) > now)) break;
        if (stepping) this.steps--;
        this.held.shift();
        if (!head.item.control) this.heldBytesCount -= head.item.size;
        this.commit(head, now);
        if (this.taskPerItem) {
          this.awaitingTask = true;
          this.scheduler.nextTask(() => {
            this.awaitingTask = false;
            this.release();
          });
        }
        head.item.deliver();
      }
    } finally {
      this.releasing = false;
    }
    this.schedule();
  }

  private schedule(): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
    const head = this.held.at(0);
    if (!head || this.settings.paused || this.awaitingTask) return;
    const now = this.scheduler.now();
    const time = this.releaseTime(head);
    if (time <= now) {
      this.release();
      return;
    }
    this.cancelTimer = this.scheduler.at(time, () => {
      this.cancelTimer = null;
      this.release();
    });
  }
}

// Not Math.max: in the page, Math is the page's to patch.
const max = (a: number, b: number): number => (a > b ? a : b);
