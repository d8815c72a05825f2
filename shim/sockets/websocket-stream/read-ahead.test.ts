import { describe, expect, it } from 'vitest';
import { PASS_THROUGH } from '../../shaping/stage';
import { READ_AHEAD_CAP, READ_AHEAD_FLOOR, readAheadWindow } from './read-ahead';

describe('readAheadWindow', () => {
  const link = (settings: Partial<typeof PASS_THROUGH>) => readAheadWindow({ ...PASS_THROUGH, ...settings });

  it('is 0 for a link that delays nothing: the native stream is read only as the page reads', () => {
    expect(link({})).toBe(0);
  });

  it('is the bandwidth-delay product, jitter counted as delay', () => {
    expect(link({ bytesPerSecond: 10_000_000, latencyMs: 100 })).toBe(1_000_000);
    expect(link({ bytesPerSecond: 10_000_000, latencyMs: 100, jitterMs: 50 })).toBe(1_500_000);
  });

  it('is at least the floor and at most the cap; an unlimited bandwidth takes the cap', () => {
    expect(link({ bytesPerSecond: 1000, latencyMs: 100 })).toBe(READ_AHEAD_FLOOR);
    expect(link({ bytesPerSecond: 1000 })).toBe(READ_AHEAD_FLOOR);
    expect(link({ bytesPerSecond: 1e9, latencyMs: 1000 })).toBe(READ_AHEAD_CAP);
    expect(link({ latencyMs: 1 })).toBe(READ_AHEAD_CAP);
    expect(link({ messagesPerSecond: 10 })).toBe(READ_AHEAD_CAP);
    expect(link({ paused: true })).toBe(READ_AHEAD_CAP);
  });
});
