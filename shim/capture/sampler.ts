// While a panel listens, every SAMPLE_MS: for each socket, what moved in the
// interval, what shaping holds now and the delay it added, as WireSamples the
// panel charts. A quiet socket sends nothing after one all-zero sample that
// ends its run; the panel reads a missing interval as zero.
import { NativeWeakMap, now, safely, setTimeout, weakMapGet, weakMapSet } from '../realm/natives';
import { SAMPLE_FLAGS, SAMPLE_MS, type SocketInfo, type WireSample } from '../wire/records';
import type { Recorder } from './recorder';
import type { Shaping } from '../shaping/shaping';

/** Counters at the previous sample, to take differences from. */
interface Previous {
  counts: number[];
  /** The last sample sent was not all zero: send one that is, to end the run. */
  active: boolean;
}

const ZERO_COUNTS = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

export class Sampler {
  private previous = new NativeWeakMap<SocketInfo, Previous>();
  private running = false;
  private generation = 0;
  private lastTick = 0;

  constructor(
    private readonly recorder: Recorder,
    private readonly shaping: Shaping,
    /** A WebSocket's `bufferedAmount` as the page reads it (0 for other sockets). */
    private readonly bufferedAmount: (socketId: number) => number,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    // What happened before the panel listened is not one interval's worth: start from now.
    this.previous = new NativeWeakMap();
    this.recorder.forEachSocket((info) => weakMapSet(this.previous, info, { counts: this.counts(info), active: false }));
    this.lastTick = now();
    this.schedule(++this.generation);
  }

  stop(): void {
    this.running = false;
  }

  private schedule(generation: number): void {
    setTimeout(() => {
      if (!this.running || generation !== this.generation) return;
      safely((sampler: Sampler) => sampler.tick(), this);
      this.schedule(generation);
    }, SAMPLE_MS);
  }

  private tick(): void {
    const time = now();
    const interval = time - this.lastTick;
    this.lastTick = time;
    const samples: WireSample[] = [];
    this.recorder.forEachSocket((info) => {
      const sample = this.sample(info, time, interval);
      if (sample) samples[samples.length] = sample;
    });
    if (samples.length > 0) this.recorder.addSamples(samples);
  }

  private sample(info: SocketInfo, time: number, interval: number): WireSample | null {
    let previous = weakMapGet(this.previous, info) as Previous | undefined;
    if (!previous) {
      previous = { counts: ZERO_COUNTS, active: false };
      weakMapSet(this.previous, info, previous);
    }
    const counts = this.counts(info);
    const was = previous.counts;
    const pipeline = this.shaping.pipeline(info.id);
    const held = pipeline ? [pipeline.up, pipeline.down, pipeline.consumer] : null;
    const buffered = info.readyState === 3 ? 0 : this.bufferedAmount(info.id);
    const stats = pipeline?.stats();
    let flags = 0;
    if (stats?.consumer.paused) flags |= SAMPLE_FLAGS.consumerPaused;
    if (stats?.consumer.overridden) flags |= SAMPLE_FLAGS.consumerOverridden;
    if (stats && (stats.up.overCap || stats.down.overCap || stats.consumer.overCap)) flags |= SAMPLE_FLAGS.overCap;
    const sample: WireSample = [
      info.id,
      time,
      interval,
      counts[0] - was[0],
      counts[1] - was[1],
      counts[2] - was[2],
      counts[3] - was[3],
      // Handed to the page: what the consumer stage let through, or all that came when nothing shapes it.
      pipeline ? counts[8] - was[8] : counts[2] - was[2],
      held ? held[0].heldCount : 0,
      held ? held[0].heldBytes : 0,
      held ? held[1].heldCount : 0,
      held ? held[1].heldBytes : 0,
      held ? held[2].heldCount : 0,
      held ? held[2].heldBytes : 0,
      buffered,
      meanDelay(counts, was, 4),
      meanDelay(counts, was, 6) + meanDelay(counts, was, 8),
      flags,
    ];
    previous.counts = counts;
    let active = false;
    // Everything after the socket, the time and its interval.
    for (let i = 3; i < sample.length; i++) if (sample[i] !== 0) active = true;
    if (!active && !previous.active) return null;
    previous.active = active;
    return sample;
  }

  /** Messages and bytes per direction, then (handed on, held ms) per stage: up, down, consumer. */
  private counts(info: SocketInfo): number[] {
    const pipeline = this.shaping.pipeline(info.id);
    // No spread: in the page, the array iterator is the page's to patch.
    const counts = [info.sent, info.sentBytes, info.received, info.receivedBytes, 0, 0, 0, 0, 0, 0];
    if (pipeline) {
      const stages = [pipeline.up, pipeline.down, pipeline.consumer];
      for (let i = 0; i < 3; i++) {
        counts[4 + 2 * i] = stages[i].delivered;
        counts[5 + 2 * i] = stages[i].heldMsTotal;
      }
    }
    return counts;
  }
}

/** The mean held time of what a stage handed on between two samples, from its (handed on, held ms) pair at `at`. */
function meanDelay(counts: number[], was: number[], at: number): number {
  const handed = counts[at] - was[at];
  return handed > 0 ? (counts[at + 1] - was[at + 1]) / handed : 0;
}
