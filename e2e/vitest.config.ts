// The end-to-end suite: real browsers, so long timeouts and one file at a
// time (these machines have 2 cores; two browsers at once make both flaky).
// Every file runs in one worker, not isolated from the others, so that the
// panel specs share their browsers (worker fixtures, see fixtures.ts).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('..', import.meta.url)),
    include: ['e2e/**/*.e2e.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    maxWorkers: 1,
    isolate: false,
  },
});
