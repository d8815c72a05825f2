import { describe, expect, test } from 'vitest';
import { MAX_CONTENT_PX, scrollSpace, windowAt, type WindowGeometry } from './row-window';

const geometry = (count: number): WindowGeometry => ({ count, rowPx: 20, paddingStart: 22, overscan: 0, viewport: 400 });

describe('row window', () => {
  test('a list that fits: content as tall as its rows, rows at fixed places', () => {
    const g = geometry(1000);
    expect(scrollSpace(g)).toEqual({ total: 20_022, maxTop: 19_622, scale: 1 });
    const view = windowAt(g, 2022);
    expect([view.start, view.end]).toEqual([100, 120]);
    expect(view.rowTop(100)).toBe(2022);
    expect(windowAt(g, 0).rowTop(100)).toBe(2022);
  });

  test('a million rows: content capped, the scroll position scaled, rows placed in view', () => {
    const g = geometry(1_000_000);
    const { total, maxTop, scale } = scrollSpace(g);
    expect(total).toBe(MAX_CONTENT_PX);
    expect(scale).toBeGreaterThan(2);
    // At the end: the last rows, in the viewport.
    const end = windowAt(g, maxTop);
    expect(end.end).toBe(1_000_000);
    expect(end.rowTop(999_999)).toBe(maxTop + 400 - 20);
    // Halfway: the middle rows, the first of them at the top of the view (as unscaled: under the sticky header).
    const middle = windowAt(g, maxTop / 2);
    expect(middle.start).toBeGreaterThan(499_000);
    expect(middle.start).toBeLessThan(501_000);
    const firstTop = middle.rowTop(middle.start);
    expect(firstTop).toBeGreaterThan(maxTop / 2 - 20);
    expect(firstTop).toBeLessThanOrEqual(maxTop / 2);
  });
});
