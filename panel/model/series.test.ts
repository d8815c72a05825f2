import { describe, expect, test } from 'vitest';
import { SAMPLE_FIELDS, SAMPLE_MS, type WireSample } from '../../shim/wire/records';
import { SampleSeries, SERIES_MS } from './series';

/** A sample of socket 1 ending at `time`, one SAMPLE_MS long, every other field `value`. */
const sample = (time: number, value = 1): WireSample => [1, time, SAMPLE_MS, ...SAMPLE_FIELDS.slice(2).map(() => value)];

describe('SampleSeries', () => {
  test('keeps consecutive samples as they come', () => {
    const series = new SampleSeries();
    series.push(sample(1000));
    series.push(sample(1000 + SAMPLE_MS, 2));
    expect(series.columns.time).toEqual([1000, 1000 + SAMPLE_MS]);
    expect(series.columns.sent).toEqual([1, 2]);
    expect(series.latest('heldUpBytes')).toBe(2);
  });

  test('reads a gap as zero traffic: zero samples at both of its ends', () => {
    const series = new SampleSeries();
    series.push(sample(1000));
    series.push(sample(5000));
    expect(series.columns.time).toEqual([1000, 1000 + SAMPLE_MS, 5000 - SAMPLE_MS, 5000]);
    expect(series.columns.sent).toEqual([1, 0, 0, 1]);
    expect(series.columns.intervalMs).toEqual([SAMPLE_MS, SAMPLE_MS, SAMPLE_MS, SAMPLE_MS]);
  });

  test('a gap of one interval gets one zero sample', () => {
    const series = new SampleSeries();
    series.push(sample(1000));
    series.push(sample(1000 + 2 * SAMPLE_MS));
    expect(series.columns.time).toEqual([1000, 1000 + SAMPLE_MS, 1000 + 2 * SAMPLE_MS]);
  });

  test('forgets what is older than its span', () => {
    const series = new SampleSeries();
    const count = (2 * SERIES_MS) / SAMPLE_MS;
    for (let i = 0; i < count; i++) series.push(sample(i * SAMPLE_MS));
    const newest = (count - 1) * SAMPLE_MS;
    expect(series.columns.time.at(-1)).toBe(newest);
    expect(series.columns.time[0]).toBeGreaterThanOrEqual(newest - SERIES_MS - 30_000);
    expect(series.length).toBeLessThanOrEqual((SERIES_MS + 30_000) / SAMPLE_MS + 1);
    for (const field of SAMPLE_FIELDS) expect(series.columns[field]).toHaveLength(series.length);
  });
});
