// How much payload leaves the page in full. Every character relayed to the
// panel is copied and re-encoded in four processes, which on a busy machine
// costs the page throughput; past this rate messages cross as previews, and
// the page keeps its speed.

/** A token bucket over characters, on the caller's clock (milliseconds). */
export class RelayBudget {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly clock: () => number,
  ) {
    this.tokens = burst;
    this.last = clock();
  }

  /** Spends `chars` if the bucket holds that many; a refusal spends nothing. */
  take(chars: number): boolean {
    const now = this.clock();
    const refilled = this.tokens + ((now - this.last) * this.perSecond) / 1000;
    this.tokens = refilled > this.burst ? this.burst : refilled;
    this.last = now;
    if (chars > this.tokens) return false;
    this.tokens -= chars;
    return true;
  }
}
