// Typing into a page as a person does, timed as the browser times it: real
// key events through CDP's Input domain, one every KEY_GAP_MS, and for each
// keystroke the Event Timing API's duration (from the key event's time to the
// next paint after its handlers ran, the measure behind INP). The API reports
// only events of DURATION_THRESHOLD_MS or more, so a keystroke it leaves out
// was quicker than that.
import type { Target } from './chromium-pipe';

const KEY_GAP_MS = 150;
/** The least threshold Event Timing accepts. */
export const DURATION_THRESHOLD_MS = 16;

/** The keystrokes typed: `text`, then as many Backspaces, over and over. */
function* keys(text: string): Generator<{ key: string; text?: string; code: number }> {
  for (;;) {
    for (const char of text) yield { key: char, text: char, code: char.toUpperCase().charCodeAt(0) };
    for (const _ of text) yield { key: 'Backspace', code: 8 };
  }
}

/**
 * Focuses `selector` in `target`, types into it for `ms`, and returns every
 * keystroke's duration in milliseconds, sorted; DURATION_THRESHOLD_MS stands
 * for "less than that".
 */
export async function typeFor(target: Target, selector: string, text: string, ms: number): Promise<number[]> {
  await target.evaluate(`(() => {
    window.__keystrokes = new Map();
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        if (!entry.interactionId) continue;
        window.__keystrokes.set(entry.interactionId, Math.max(entry.duration, window.__keystrokes.get(entry.interactionId) ?? 0));
      }
    }).observe({ type: 'event', durationThreshold: ${DURATION_THRESHOLD_MS} });
    const box = document.querySelector(${JSON.stringify(selector)});
    window.__inputs = 0;
    box.addEventListener('input', () => window.__inputs++);
    box.focus();
    return true;
  })()`);
  let typed = 0;
  const end = Date.now() + ms;
  for (const { key, text: char, code } of keys(text)) {
    if (Date.now() >= end) break;
    await target.send('Input.dispatchKeyEvent', { type: 'keyDown', key, text: char, windowsVirtualKeyCode: code });
    await target.send('Input.dispatchKeyEvent', { type: 'keyUp', key, windowsVirtualKeyCode: code });
    typed++;
    await new Promise((resolve) => setTimeout(resolve, KEY_GAP_MS));
  }
  // An entry comes after the paint that ends its event.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const { slow, inputs } = await target.evaluate<{ slow: number[]; inputs: number }>('({ slow: [...window.__keystrokes.values()], inputs: window.__inputs })');
  if (inputs !== typed) throw new Error(`${typed} keystrokes typed, ${inputs} reached the box`);
  if (slow.length > typed) throw new Error(`${slow.length} slow keystrokes timed of ${typed} typed`);
  return [...Array<number>(typed - slow.length).fill(DURATION_THRESHOLD_MS), ...slow].sort((a, b) => a - b);
}
