// Runs a callback just after a frame, at most UPDATES_PER_SECOND times a
// second. Each update lays out the visible rows again, and while tailing
// thousands of frames a second every visible row changes: more updates than a
// person can read would only cost the page under inspection CPU (they share
// the cores). Run in an animation-frame callback, an update's rendering and
// layout made that frame late; run in a task after it, they have until the
// next frame, which then only paints (bench-panel, tailing: p95 frame
// interval 33-50 ms before, 16.8-33.4 ms after).
// An update that takes longer than a frame makes one late however it is
// placed, so updates are spaced to keep them within UPDATE_SHARE of the
// panel's time: on a slow or busy machine they come less often, not late,
// but at least once a second (one long update must not leave the view stale).
// With the panel's CPU throttled 4× in tailing runs, the share of frames over
// 20 ms fell from 7.3-26.7 % to 3.6-5.4 % (4 runs each).
// Background tabs and hidden DevTools panels get no animation frames, so a
// timer stands in for them: the log then still reaches the DOM (tests read it).
const UPDATES_PER_SECOND = 10;
const MIN_INTERVAL_MS = 1000 / UPDATES_PER_SECOND;
const UPDATE_SHARE = 0.1;
const MAX_INTERVAL_MS = 1000;
const HIDDEN_DELAY_MS = 250;

let lastRun = -Infinity;
let interval = MIN_INTERVAL_MS;

export function nextFrame(run: () => void): void {
  const wait = Math.max(0, lastRun + interval - performance.now());
  setTimeout(() => {
    let done = false;
    const once = () => {
      if (done) return;
      done = true;
      cancelAnimationFrame(frame);
      clearTimeout(timer);
      lastRun = performance.now();
      run();
      // Queued after run(), this runs after the renders it scheduled (Preact renders in a microtask),
      // and before any other task could set lastRun again.
      queueMicrotask(() => {
        interval = Math.min(MAX_INTERVAL_MS, Math.max(MIN_INTERVAL_MS, (performance.now() - lastRun) / UPDATE_SHARE));
      });
    };
    const frame = requestAnimationFrame(() => setTimeout(once));
    const timer = setTimeout(once, HIDDEN_DELAY_MS);
  }, wait);
}
