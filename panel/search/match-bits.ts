// The messages a filter matched, as one bit per log index, with a count per
// block of 1024 messages to find the n-th match without reading every bit.
// A million messages take 125 KB: a filter over them writes a sixty-fourth of
// what a list of indices would, and memory written for the first time is
// dear (its pages are mapped on first touch).
// Matches can be added in any order (the parts of a split search, long messages
// settled later) and leave as the log lets their messages go.

const WORD_BITS = 32;
const BLOCK_WORDS = 32;
/** Messages per counted block. */
const BLOCK_BITS = WORD_BITS * BLOCK_WORDS;

/** Set bits in a 32-bit word. */
function popcount(word: number): number {
  let x = word - ((word >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/** Bits [from, to) of a word set, 0 ≤ from < to ≤ 32. */
const span = (from: number, to: number): number => (to === WORD_BITS ? ~0 : (1 << to) - 1) & ~((1 << from) - 1);

export class MatchBits {
  /** Bit b of word w stands for log index base + 32w + b. */
  private words: Uint32Array;
  /** Set bits per block of BLOCK_BITS. */
  private counts: Uint32Array;
  /** A multiple of BLOCK_BITS, so that words and blocks line up. */
  private base: number;
  /** No index below this is a member. */
  private from: number;
  /** Members. */
  size = 0;
  /** The block the last `select` ended in, and the position of that block's first member (-1: none), so that reading in order does not count from the start each time. */
  private cursorBlock = -1;
  private cursorStart = 0;

  /** Empty, for indices from `from` on, with room for `capacity` of them before it grows. */
  constructor(from: number, capacity: number) {
    this.from = from;
    this.base = from - (from % BLOCK_BITS);
    const blocks = Math.max(1, Math.ceil((from - this.base + capacity) / BLOCK_BITS));
    this.words = new Uint32Array(blocks * BLOCK_WORDS);
    this.counts = new Uint32Array(blocks);
  }

  /** The words, for another thread to read with `or`: bit 0 of the first stands for `base`. */
  get raw(): { words: Uint32Array; base: number } {
    return { words: this.words, base: this.base };
  }

  add(index: number): void {
    if (index < this.from) return;
    const offset = index - this.base;
    if (offset >= this.words.length * WORD_BITS) this.grow(offset + 1);
    const word = offset >>> 5;
    const bit = 1 << (offset & 31);
    if (this.words[word] & bit) return;
    this.cursorBlock = -1;
    this.words[word] |= bit;
    this.counts[offset >>> 10]++;
    this.size++;
  }

  has(index: number): boolean {
    const offset = index - this.base;
    return index >= this.from && offset < this.words.length * WORD_BITS && (this.words[offset >>> 5] & (1 << (offset & 31))) !== 0;
  }

  /** Adds the members of another set's words (`raw`) that are at or above `from`. */
  or({ words, base }: { words: Uint32Array; base: number }): void {
    const end = base + words.length * WORD_BITS;
    if (end > this.base + this.words.length * WORD_BITS) this.grow(end - this.base);
    this.cursorBlock = -1;
    for (let i = 0; i < words.length; i++) {
      const index = base + i * WORD_BITS;
      if (index + WORD_BITS <= this.from || words[i] === 0) continue;
      const offset = index - this.base;
      const own = offset >>> 5;
      const added = words[i] & ~this.words[own] & (index < this.from ? span(this.from - index, WORD_BITS) : ~0);
      this.words[own] |= added;
      const count = popcount(added);
      this.counts[offset >>> 10] += count;
      this.size += count;
    }
  }

  /** Lets every member below `first` go. */
  dropBelow(first: number): void {
    if (first <= this.from) return;
    this.cursorBlock = -1;
    const end = Math.min(first, this.base + this.words.length * WORD_BITS);
    for (let index = this.from; index < end; ) {
      const offset = index - this.base;
      const low = offset & 31;
      const high = Math.min(WORD_BITS, low + end - index);
      const word = offset >>> 5;
      const removed = this.words[word] & span(low, high);
      if (removed !== 0) {
        this.words[word] &= ~removed;
        const count = popcount(removed);
        this.counts[offset >>> 10] -= count;
        this.size -= count;
      }
      index += high - low;
    }
    this.from = first;
    // Move down now and then: the words do not grow with what was let go.
    const dropBlocks = Math.floor((first - this.base) / BLOCK_BITS);
    if (dropBlocks > 0 && dropBlocks >= this.counts.length / 2) {
      // (Past the end, with every bit already cleared, the fill starts at 0.)
      this.words.copyWithin(0, dropBlocks * BLOCK_WORDS).fill(0, Math.max(0, this.words.length - dropBlocks * BLOCK_WORDS));
      this.counts.copyWithin(0, dropBlocks).fill(0, Math.max(0, this.counts.length - dropBlocks));
      this.base += dropBlocks * BLOCK_BITS;
    }
  }

  /** The member at `position` in ascending order, or -1. */
  select(position: number): number {
    if (position < 0 || position >= this.size) return -1;
    let left = position;
    let block = (this.from - this.base) >>> 10;
    if (this.cursorBlock >= 0 && position >= this.cursorStart) {
      block = this.cursorBlock;
      left = position - this.cursorStart;
    }
    for (; left >= this.counts[block]; block++) left -= this.counts[block];
    this.cursorBlock = block;
    this.cursorStart = position - left;
    for (let word = block * BLOCK_WORDS; ; word++) {
      let bits = this.words[word];
      const count = popcount(bits);
      if (left < count) {
        for (; left > 0; left--) bits &= bits - 1;
        return this.base + word * WORD_BITS + (31 - Math.clz32(bits & -bits));
      }
      left -= count;
    }
  }

  /** Where a member is in ascending order, or -1 if `index` is not one. */
  positionOf(index: number): number {
    if (!this.has(index)) return -1;
    const offset = index - this.base;
    let position = 0;
    for (let block = (this.from - this.base) >>> 10; block < offset >>> 10; block++) position += this.counts[block];
    for (let word = (offset >>> 10) * BLOCK_WORDS; word < offset >>> 5; word++) position += popcount(this.words[word]);
    return position + popcount(this.words[offset >>> 5] & span(0, offset & 31));
  }

  private grow(bits: number): void {
    const blocks = Math.max(2 * this.counts.length, Math.ceil(bits / BLOCK_BITS));
    const words = new Uint32Array(blocks * BLOCK_WORDS);
    words.set(this.words);
    const counts = new Uint32Array(blocks);
    counts.set(this.counts);
    this.words = words;
    this.counts = counts;
  }
}
