// Runs the panel's updates just after an animation frame, at most
// UPDATES_PER_SECOND times a second. Each update lays out the visible rows
// again, and while tailing thousands of messages a second every visible row
// changes: more updates than a person can read would only cost the page under
// inspection CPU (they share the cores). Run in an animation-frame callback,
// an update's rendering and layout would make that animation frame late; run
// in a task after it, they have until the next one, which then only paints.
// An update that takes longer than an animation frame makes one late however it is
// placed, so updates are spaced to keep them within UPDATE_SHARE of the
// panel's time: on a slow or busy machine they come less often, not late,
// but at least once a second (one long update must not leave the view stale).
// Background tabs and hidden DevTools panels get no animation frames, so a
// timer stands in for them: the log then still reaches the DOM (tests read it).
const UPDATES_PER_SECOND = 10;
export const MIN_INTERVAL_MS = 1000 / UPDATES_PER_SECOND;
const UPDATE_SHARE = 0.1;
export const MAX_INTERVAL_MS = 1000;
const HIDDEN_DELAY_MS = 250;

/** The time and timers the pacing runs on: the page's own, or a test's. */
export interface UpdateClock {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  requestAnimationFrame(run: () => void): unknown;
  cancelAnimationFrame(handle: unknown): void;
}

const windowClock: UpdateClock = {
  now: () => performance.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  requestAnimationFrame: (run) => requestAnimationFrame(() => run()),
  cancelAnimationFrame: (handle) => cancelAnimationFrame(handle as number),
};

/** A scheduler of updates paced as above, on `clock`. */
export function updatePacer(clock: UpdateClock = windowClock): (run: () => void) => void {
  let lastRun = -Infinity;
  let interval = MIN_INTERVAL_MS;
  return (run) => {
    const wait = Math.max(0, lastRun + interval - clock.now());
    clock.setTimeout(() => {
      let done = false;
      const once = () => {
        if (done) return;
        done = true;
        clock.cancelAnimationFrame(animationFrame);
        clock.clearTimeout(timer);
        lastRun = clock.now();
        run();
        // Queued after run(), this runs after the renders it scheduled (Preact renders in a microtask),
        // and before any other task could set lastRun again.
        queueMicrotask(() => {
          interval = Math.min(MAX_INTERVAL_MS, Math.max(MIN_INTERVAL_MS, (clock.now() - lastRun) / UPDATE_SHARE));
        });
      };
      const animationFrame = clock.requestAnimationFrame(() => clock.setTimeout(once, 0));
      const timer = clock.setTimeout(once, HIDDEN_DELAY_MS);
    }, wait);
  };
}

/** The panel's updates, on the window's clock. */
export const nextUpdate = updatePacer();
