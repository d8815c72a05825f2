import { describe, expect, it } from 'vitest';
import { PASS_THROUGH, Stage, type Item, type Scheduler, type StageSettings } from './stage';

/** Time that moves only when a test says so; timers run in time order. */
class VirtualClock implements Scheduler {
  private time = 0;
  private timers: { time: number; seq: number; fn: () => void }[] = [];
  private seq = 0;
  /** Timer callbacks run so far: each is a task. */
  tasks = 0;

  now(): number {
    return this.time;
  }

  at(time: number, fn: () => void): () => void {
    const timer = { time, seq: this.seq++, fn };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  /** A task: a timer due now, run after what is already due. */
  nextTask(fn: () => void): void {
    this.at(this.time, fn);
  }

  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      this.timers.sort((a, b) => a.time - b.time || a.seq - b.seq);
      const next = this.timers[0];
      if (!next || next.time > end) break;
      this.timers.shift();
      this.time = Math.max(this.time, next.time);
      this.tasks++;
      next.fn();
    }
    this.time = end;
  }
}

/** A seeded uniform generator, so jitter is random yet repeatable. */
function seeded(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    // mulberry32
    x = (x + 0x6d2b79f5) >>> 0;
    let t = x;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

function setup(settings: Partial<StageSettings>, random = seeded(1), taskPerItem = false) {
  const clock = new VirtualClock();
  const stage = new Stage(clock, random, taskPerItem);
  stage.configure({ ...PASS_THROUGH, ...settings });
  const out: { label: string; time: number }[] = [];
  const item = (label: string, size = 100, control = false): Item => ({ size, control, deliver: () => out.push({ label, time: clock.now() }) });
  return { clock, stage, out, item };
}

describe('Stage', () => {
  it('passes everything at once when nothing is set', () => {
    const { stage, out, item } = setup({});
    expect(stage.wouldPass(100, false)).toBe(true);
    stage.push(item('a'));
    expect(out).toEqual([{ label: 'a', time: 0 }]);
  });

  it('delays each message by the latency, pipelined', () => {
    const { clock, stage, out, item } = setup({ latencyMs: 100 });
    stage.push(item('a'));
    clock.advance(10);
    stage.push(item('b'));
    expect(stage.wouldPass(1, false)).toBe(false);
    clock.advance(89);
    expect(out).toEqual([]);
    clock.advance(1);
    expect(out).toEqual([{ label: 'a', time: 100 }]);
    clock.advance(10);
    expect(out).toEqual([
      { label: 'a', time: 100 },
      { label: 'b', time: 110 },
    ]);
  });

  it('lets go of held messages when the page closes, and the held close leaves at once', () => {
    const { clock, stage, out, item } = setup({ messagesPerSecond: 10 }, seeded(1), true);
    for (const label of ['a', 'b', 'c']) stage.push(item(label, 8));
    stage.push(item('close', 0, true));
    clock.advance(0);
    expect(out.map((o) => o.label)).toEqual(['a']);
    stage.discardMessages();
    expect(out).toEqual([
      { label: 'a', time: 0 },
      { label: 'close', time: 0 },
    ]);
    expect([stage.heldCount, stage.heldBytes]).toEqual([0, 0]);
  });

  it('keeps order under jitter, and jitter averages out around the latency', () => {
    const { clock, stage, out, item } = setup({ latencyMs: 50, jitterMs: 40 });
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      stage.push(item(String(i)));
      clock.advance(1);
    }
    clock.advance(200);
    expect(out.map((o) => o.label)).toEqual(Array.from({ length: n }, (_, i) => String(i)));
    const delays = out.map((o, i) => o.time - i).sort((a, b) => a - b);
    expect(delays[0]).toBeGreaterThanOrEqual(10);
    expect(delays[n - 1]).toBeLessThanOrEqual(90);
    expect(Math.abs(delays[n / 2] - 50)).toBeLessThanOrEqual(5);
    // Spread over the range, not bunched.
    expect(delays[n * 0.9] - delays[n * 0.1]).toBeGreaterThan(40);
  });

  it('limits bandwidth: each message takes its size over the rate', () => {
    const { clock, stage, out, item } = setup({ bytesPerSecond: 1000 });
    stage.push(item('a', 500));
    stage.push(item('b', 500));
    stage.push(item('c', 1000));
    clock.advance(2000);
    expect(out).toEqual([
      { label: 'a', time: 500 },
      { label: 'b', time: 1000 },
      { label: 'c', time: 2000 },
    ]);
  });

  it('adds latency after the wire', () => {
    const { clock, stage, out, item } = setup({ bytesPerSecond: 1000, latencyMs: 100 });
    stage.push(item('a', 500));
    stage.push(item('b', 500));
    clock.advance(2000);
    expect(out).toEqual([
      { label: 'a', time: 600 },
      { label: 'b', time: 1100 },
    ]);
  });

  it('limits the message rate', () => {
    const { clock, stage, out, item } = setup({ messagesPerSecond: 4 });
    for (const label of ['a', 'b', 'c']) stage.push(item(label));
    clock.advance(1000);
    expect(out).toEqual([
      { label: 'a', time: 0 },
      { label: 'b', time: 250 },
      { label: 'c', time: 500 },
    ]);
  });

  it('holds everything while paused, lets one through per step, and resumes', () => {
    const { clock, stage, out, item } = setup({ paused: true });
    for (const label of ['a', 'b', 'c']) stage.push(item(label));
    clock.advance(1000);
    expect(out).toEqual([]);
    expect([stage.heldCount, stage.heldBytes]).toEqual([3, 300]);
    stage.step();
    expect(out).toEqual([{ label: 'a', time: 1000 }]);
    expect([stage.heldCount, stage.heldBytes]).toEqual([2, 200]);
    clock.advance(10);
    stage.configure({ ...PASS_THROUGH });
    expect(out.map((o) => o.label)).toEqual(['a', 'b', 'c']);
    expect([stage.heldCount, stage.heldBytes, stage.delivered, stage.deliveredBytes]).toEqual([0, 0, 3, 300]);
    // Held since 0: a until the step at 1000, b and c until the resume at 1010.
    expect(stage.heldMsTotal).toBe(1000 + 1010 + 1010);
  });

  it('a step ignores the rate limit, then the rate counts from it', () => {
    const { clock, stage, out, item } = setup({ messagesPerSecond: 1 });
    for (const label of ['a', 'b', 'c']) stage.push(item(label));
    stage.step();
    expect(out.map((o) => o.label)).toEqual(['a', 'b']);
    clock.advance(999);
    expect(out).toHaveLength(2);
    clock.advance(1);
    expect(out.map((o) => o.label)).toEqual(['a', 'b', 'c']);
  });

  it('a stall stops the wire: after it, bandwidth counts from the resume', () => {
    const { clock, stage, out, item } = setup({ bytesPerSecond: 1000, paused: true });
    stage.push(item('a', 1000));
    clock.advance(5000);
    stage.configure({ ...PASS_THROUGH, bytesPerSecond: 1000 });
    expect(out).toEqual([]);
    clock.advance(1000);
    expect(out).toEqual([{ label: 'a', time: 6000 }]);
  });

  it('applies new settings to what is held', () => {
    const { clock, stage, out, item } = setup({ latencyMs: 10_000 });
    stage.push(item('a'));
    stage.push(item('b'));
    clock.advance(100);
    stage.configure({ ...PASS_THROUGH, latencyMs: 50 });
    expect(out.map((o) => o.label)).toEqual(['a', 'b']);
    expect(out[0].time).toBe(100);
  });

  it('a control item keeps its place but takes no bandwidth or rate', () => {
    const { clock, stage, out, item } = setup({ bytesPerSecond: 100, messagesPerSecond: 1 });
    stage.push(item('a', 100));
    stage.push(item('close', 0, true));
    clock.advance(1000);
    expect(out).toEqual([
      { label: 'a', time: 1000 },
      { label: 'close', time: 1000 },
    ]);
    expect(stage.delivered).toBe(1);
  });

  it('an item delivered may push another without reordering', () => {
    const { clock, stage, out, item } = setup({ latencyMs: 10 });
    const first: Item = { size: 1, control: false, deliver: () => (out.push({ label: 'a', time: clock.now() }), stage.push(item('from-a'))) };
    stage.push(first);
    stage.push(item('b'));
    clock.advance(100);
    expect(out.map((o) => o.label)).toEqual(['a', 'b', 'from-a']);
  });

  it('clear forgets what is held and stops its timer', () => {
    const { clock, stage, out, item } = setup({ latencyMs: 10 });
    stage.push(item('a'));
    expect(stage.clear()).toBe(1);
    clock.advance(100);
    expect(out).toEqual([]);
    expect([stage.heldCount, stage.heldBytes]).toEqual([0, 0]);
  });

  it('counts what wouldPass let through toward the rate', () => {
    const { clock, stage, out, item } = setup({ messagesPerSecond: 10 });
    expect(stage.wouldPass(5, false)).toBe(true);
    stage.passed(5, false);
    expect(stage.wouldPass(5, false)).toBe(false);
    stage.push(item('b'));
    clock.advance(100);
    expect(out).toEqual([{ label: 'b', time: 100 }]);
    expect(stage.delivered).toBe(2);
  });

  it('hands on one item per task when asked to: the page sees each as an event of its own', () => {
    const { clock, stage, item } = setup({ latencyMs: 10 }, seeded(1), true);
    const tasks: number[] = [];
    const counted = (label: string): Item => ({ ...item(label), deliver: () => tasks.push(clock.tasks) });
    for (const label of ['a', 'b', 'c']) stage.push(counted(label));
    clock.advance(10);
    expect(tasks).toEqual([1, 2, 3]);
    expect(stage.heldCount).toBe(0);
  });

  it('after a hand-on, a newcomer waits for the next task even when nothing limits it', () => {
    const { clock, stage, out, item } = setup({}, seeded(1), true);
    stage.push(item('a'));
    expect(stage.wouldPass(1, false)).toBe(false);
    stage.push(item('b'));
    expect(out.map((o) => o.label)).toEqual(['a']);
    clock.advance(0);
    expect(out.map((o) => o.label)).toEqual(['a', 'b']);
    clock.advance(0);
    expect(stage.wouldPass(1, false)).toBe(true);
  });

  it('a step while waiting for a task hands on in that task', () => {
    const { clock, stage, out, item } = setup({ paused: true }, seeded(1), true);
    stage.push(item('a'));
    stage.push(item('b'));
    stage.step();
    stage.step();
    expect(out.map((o) => o.label)).toEqual(['a']);
    clock.advance(0);
    expect(out.map((o) => o.label)).toEqual(['a', 'b']);
  });
});
