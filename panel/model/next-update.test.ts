import { beforeAll, expect, test } from 'vitest';
import { nextFrame } from './next-update';

beforeAll(() => {
  // Node has no animation frames: a 60 Hz timer stands in.
  globalThis.requestAnimationFrame = (callback) => setTimeout(() => callback(performance.now()), 16) as unknown as number;
  globalThis.cancelAnimationFrame = (handle) => clearTimeout(handle);
});

/** Schedules an update that is busy for `busyMs`; resolves with when it started. */
const update = (busyMs: number) =>
  new Promise<number>((resolve) =>
    nextFrame(() => {
      const start = performance.now();
      while (performance.now() - start < busyMs);
      // Resolved in a later task, as the store's next change comes: after the update's renders.
      setTimeout(() => resolve(start));
    }),
  );

test('an update waits ten times as long as the last one took, at least 100 ms and at most a second', async () => {
  await update(0);
  const slow = await update(60);
  const afterSlow = await update(0);
  expect(afterSlow - slow).toBeGreaterThanOrEqual(600);
  const quick = await update(0);
  // Back to 10 a second once updates are quick again (plus a frame, and slack for a busy machine).
  expect(quick - afterSlow).toBeGreaterThanOrEqual(100);
  expect(quick - afterSlow).toBeLessThan(400);
  const long = await update(150);
  const afterLong = await update(0);
  expect(afterLong - long).toBeGreaterThanOrEqual(1000);
  expect(afterLong - long).toBeLessThan(1400);
});
