import { describe, expect, test } from 'vitest';
import { MatchBits } from './match-bits';

/** A small deterministic generator (mulberry32), so a failure replays. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** Every answer of the bits against a sorted list of the same members. */
function expectSame(bits: MatchBits, members: Set<number>, probe: [number, number]): void {
  const sorted = [...members].sort((a, b) => a - b);
  const positions = new Map(sorted.map((index, position) => [index, position]));
  expect(bits.size).toBe(sorted.length);
  expect(Array.from({ length: bits.size }, (_, position) => bits.select(position))).toEqual(sorted);
  expect(Array.from({ length: bits.size }, (_, position) => bits.select(bits.size - 1 - position))).toEqual([...sorted].reverse());
  expect([bits.select(-1), bits.select(sorted.length)]).toEqual([-1, -1]);
  for (let index = probe[0]; index < probe[1]; index++) {
    expect(bits.has(index)).toBe(members.has(index));
    expect(bits.positionOf(index)).toBe(positions.get(index) ?? -1);
  }
}

describe('MatchBits', () => {
  test('members added in any order, read back by position; words and blocks at their edges', () => {
    const bits = new MatchBits(0, 64);
    const members = new Set([0, 31, 32, 33, 63, 1023, 1024, 1025, 2047, 5000]);
    for (const index of [...members].reverse()) bits.add(index);
    bits.add(31);
    expectSame(bits, members, [0, 5100]);
    // Everything let go, far past what the words cover (a log cleared after long quiet): nothing is left behind.
    bits.dropBelow(100_000);
    expectSame(bits, new Set(), [99_000, 101_000]);
    bits.add(100_500);
    expectSame(bits, new Set([100_500]), [99_000, 101_000]);
  });

  test('reading on from the last position read still counts every change made since', () => {
    const bits = new MatchBits(0, 10_000);
    const members = new Set<number>();
    const add = (index: number) => (bits.add(index), members.add(index));
    for (let index = 0; index < 10_000; index += 3) add(index);
    const at = (position: number) => [...members].sort((a, b) => a - b)[position];
    expect(bits.select(2000)).toBe(at(2000));
    add(1);
    expect(bits.select(2001)).toBe(at(2001));
    const other = new MatchBits(0, 10_000);
    other.add(4);
    other.add(5);
    members.add(4).add(5);
    bits.or(other.raw);
    expect(bits.select(2002)).toBe(at(2002));
    bits.dropBelow(2048);
    for (const index of members) if (index < 2048) members.delete(index);
    expect(bits.select(1800)).toBe(at(1800));
  });

  test('a long run of operations agrees with a plain set: adds, merges of other sets, the oldest let go, growth and moving down', () => {
    const next = random(7);
    let first = 1000;
    let end = first;
    const bits = new MatchBits(first, 100);
    const members = new Set<number>();
    for (let round = 0; round < 300; round++) {
      // New messages, a fifth of them matches; sometimes a dense run.
      const dense = next() < 0.1;
      for (const stop = end + Math.floor(next() * 3000); end < stop; end++) {
        if (dense || next() < 0.2) {
          bits.add(end);
          members.add(end);
        }
      }
      // Another part searched elsewhere, merged: it may reach below what is held.
      if (next() < 0.3) {
        const from = first - Math.floor(next() * 500);
        const other = new MatchBits(from, end - from);
        for (let index = from; index < end; index++) {
          if (next() < 0.05) {
            other.add(index);
            if (index >= first) members.add(index);
          }
        }
        bits.or(other.raw);
      }
      // The log lets its oldest go; now and then all of them (a clear).
      first = next() < 0.02 ? end : Math.min(end, first + Math.floor(next() * 2500));
      bits.dropBelow(first);
      for (const index of members) if (index < first) members.delete(index);
      if (round % 30 === 0) expectSame(bits, members, [first - 40, end + 40]);
    }
    expectSame(bits, members, [first - 40, end + 40]);
  });
});
