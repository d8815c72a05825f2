import { expect, test } from 'vitest';
import { MAX_INTERVAL_MS, MIN_INTERVAL_MS, updatePacer, type UpdateClock } from './next-update';

const ANIMATION_FRAME_MS = 16;

/** Time that moves only as timers run; animation frames come every ANIMATION_FRAME_MS, as at 60 Hz. */
class VirtualClock implements UpdateClock {
  private time = 0;
  private readonly timers = new Map<number, { at: number; run: () => void }>();
  private nextHandle = 1;

  now(): number {
    return this.time;
  }
  setTimeout(run: () => void, ms: number): number {
    this.timers.set(this.nextHandle, { at: this.time + ms, run });
    return this.nextHandle++;
  }
  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  requestAnimationFrame(run: () => void): number {
    return this.setTimeout(run, ANIMATION_FRAME_MS - (this.time % ANIMATION_FRAME_MS));
  }
  cancelAnimationFrame(handle: unknown): void {
    this.clearTimeout(handle);
  }
  /** Busy for `ms`: the clock moves on while an update runs. */
  busy(ms: number): void {
    this.time += ms;
  }
  /** Runs timers in time order, the microtasks each one queued after it, until none is left. */
  async runAll(): Promise<void> {
    for (let i = 0; i < 1_000 && this.timers.size > 0; i++) {
      const [handle, timer] = [...this.timers].reduce((a, b) => (b[1].at < a[1].at ? b : a));
      this.timers.delete(handle);
      this.time = Math.max(this.time, timer.at);
      timer.run();
      await Promise.resolve();
    }
  }
}

/** Runs updates one after another, each busy for the given time; returns when each started. */
async function startsOf(busy: number[]): Promise<number[]> {
  const clock = new VirtualClock();
  const nextUpdate = updatePacer(clock);
  const starts: number[] = [];
  for (const ms of busy) {
    nextUpdate(() => {
      starts.push(clock.now());
      clock.busy(ms);
    });
    await clock.runAll();
  }
  return starts;
}

const gaps = (starts: number[]) => starts.slice(1).map((start, i) => start - starts[i]);

test('an update waits ten times as long as the last one took, at least 100 ms and at most a second', async () => {
  const [afterQuick, afterSlow, quickAgain, , afterLong] = gaps(await startsOf([0, 60, 0, 0, 150, 0]));
  // Each gap is the spacing, then up to one animation frame to the next (time is virtual: no slack for a busy machine).
  const within = (gap: number, spacing: number) => {
    expect(gap).toBeGreaterThanOrEqual(spacing);
    expect(gap).toBeLessThanOrEqual(spacing + ANIMATION_FRAME_MS);
  };
  within(afterQuick, MIN_INTERVAL_MS);
  within(afterSlow, 600);
  // Back to 10 a second once updates are quick again.
  within(quickAgain, MIN_INTERVAL_MS);
  within(afterLong, MAX_INTERVAL_MS);
});

test('with no animation frames (a hidden panel), a timer runs the update', async () => {
  const clock = new VirtualClock();
  clock.requestAnimationFrame = () => 0;
  const nextUpdate = updatePacer(clock);
  let ran = 0;
  nextUpdate(() => ran++);
  await clock.runAll();
  expect(ran).toBe(1);
  expect(clock.now()).toBe(250);
});
