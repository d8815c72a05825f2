// Runs a callback before the next paint. Background tabs and hidden DevTools
// panels get no animation frames, so a timer stands in for them: the log then
// still reaches the DOM (tests read it), only less often.
const HIDDEN_DELAY_MS = 250;

export function nextFrame(run: () => void): void {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    cancelAnimationFrame(frame);
    clearTimeout(timer);
    run();
  };
  const frame = requestAnimationFrame(once);
  const timer = setTimeout(once, HIDDEN_DELAY_MS);
}
