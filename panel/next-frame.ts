// Runs a callback just after a frame, at most UPDATES_PER_SECOND times a
// second. Each update lays out the visible rows again, and while tailing
// thousands of frames a second every visible row changes: more updates than a
// person can read would only cost the page under inspection CPU (they share
// the cores). Run in an animation-frame callback, an update's rendering and
// layout made that frame late; run in a task after it, they have until the
// next frame, which then only paints (bench-panel, tailing: p95 frame
// interval 33-50 ms before, 16.8-33.4 ms after).
// Background tabs and hidden DevTools panels get no animation frames, so a
// timer stands in for them: the log then still reaches the DOM (tests read it).
const UPDATES_PER_SECOND = 10;
const MIN_INTERVAL_MS = 1000 / UPDATES_PER_SECOND;
const HIDDEN_DELAY_MS = 250;

let lastRun = -Infinity;

export function nextFrame(run: () => void): void {
  const wait = Math.max(0, lastRun + MIN_INTERVAL_MS - performance.now());
  setTimeout(() => {
    let done = false;
    const once = () => {
      if (done) return;
      done = true;
      cancelAnimationFrame(frame);
      clearTimeout(timer);
      lastRun = performance.now();
      run();
    };
    const frame = requestAnimationFrame(() => setTimeout(once));
    const timer = setTimeout(once, HIDDEN_DELAY_MS);
  }, wait);
}
