// Shaping's clock in the page: the shim's own time source and timers, saved
// before page code runs.
import { now, setTimeout } from './natives';
import type { Scheduler } from './shaping/stage';

const clearTimeout = globalThis.clearTimeout.bind(globalThis);

export const realScheduler: Scheduler = {
  now,
  at(time, fn) {
    const timer = setTimeout(fn, time - now());
    return () => clearTimeout(timer);
  },
};
