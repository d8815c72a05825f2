// `npm run bench`, fourth part: does the panel stay smooth while a page
// receives 10,000 messages a second? Headless Chromium with the built
// extension, the page and the panel (panel/index.html?tabId=N) each in a
// window of its own, so both are visible and render.
//
// For each view of the selected socket (its messages, tailing; its Shaping
// view with live charts; the Shaping view under the "Slow consumer" preset,
// which holds nearly every message in the page; tailing again, traced;
// tailing while a user types in the filter box), the page receives RATE
// messages of SIZE bytes a second for SECONDS; meanwhile the panel records
// the time between its animation frames. Reported: the median and p95 frame
// interval (16.7 ms is every frame at 60 Hz), the longest, the share of
// frames over 50 ms, in the traced run the p95 of the panel's main-thread CPU
// per frame (frame-cpu.ts: its own work, apart from waiting for a
// core), in the typing run the p95 and longest time from a keystroke to the
// paint that shows it (keystrokes.ts; each keystroke filters the
// socket's messages again), the main-thread CPU of the page and of the panel
// (share of one core, thread time), and the rate the page received at.
import { fileURLToPath } from 'node:url';
import { Chromium, Target } from './chromium-pipe';
import { findExtension, tabIdsByWindow } from './extension';
import { cpuPerAnimationFrame } from './frame-cpu';
import { DURATION_THRESHOLD_MS, typeFor } from './keystrokes';
import { DONE, startServer } from './server';
import { envInt, fmt, fmtInt, table } from './stats';

const RATE = envInt('BENCH_PANEL_RATE', 10_000);
/** Messages for the scale part: the panel holds a million per tab. */
const SCALE_MESSAGES = envInt('BENCH_PANEL_FRAMES', 1_000_000);
const SCALE_SIZE = 64;
const SIZE = envInt('BENCH_PANEL_SIZE', 100);
const SECONDS = envInt('BENCH_PANEL_SECONDS', 8);
const CHROMIUM = process.env.SOCKSCOPE_CHROMIUM ?? '/usr/bin/chromium';
const DIST_CHROME = fileURLToPath(new URL('../../dist/chrome/', import.meta.url));

interface View {
  label: string;
  /** Run in the panel once the socket is selected. */
  setup: string;
  /** Trace the run for the panel's main-thread CPU per frame (tracing costs the machine some CPU itself). */
  traced?: boolean;
  /** Type this into the filter box, then erase it, over and over. */
  typing?: string;
}

const click = (testId: string) => `document.querySelector('[data-testid=${testId}]').click();`;
const preset = (id: string) =>
  `(() => { const s = document.querySelector('[data-testid=shaping-preset]'); s.value = '${id}'; s.dispatchEvent(new Event('change', { bubbles: true })); })();`;

const VIEWS: View[] = [
  { label: 'Messages (tailing)', setup: click('view-messages') },
  { label: 'Shaping (charts)', setup: click('view-shaping') },
  { label: 'Shaping, slow consumer', setup: click('view-shaping') + preset('slow-consumer') },
  { label: 'Messages (tailing), traced', setup: click('view-messages'), traced: true },
  { label: 'Messages (tailing), typing', setup: click('view-messages'), typing: 'abc' },
];

interface AnimationFrameTimes {
  intervals: number[];
}

interface PageResult {
  count: number;
  ms: number;
}

/** Runs in the panel: animation-frame intervals for `ms`. */
const animationFrameTimes = (ms: number) => `new Promise((resolve) => {
  const intervals = [];
  let last = performance.now();
  const end = last + ${ms};
  const step = (now) => {
    intervals.push(now - last);
    last = now;
    if (now < end) requestAnimationFrame(step);
    else resolve({ intervals });
  };
  requestAnimationFrame(step);
})`;

/** A keystroke's duration as Event Timing gives it (in steps of 8 ms; under its threshold, not at all). */
const keystrokeMs = (ms: number) => (ms <= DURATION_THRESHOLD_MS ? `< ${DURATION_THRESHOLD_MS}` : fmt(ms, 0));

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];

async function main(): Promise<void> {
  const server = await startServer();
  const browser = await Chromium.launch({ executablePath: CHROMIUM, extension: DIST_CHROME });
  try {
    const ext = await findExtension(browser);
    const pageUrl = `http://127.0.0.1:${server.port}/`;
    const page = await Target.openTab(browser, pageUrl);
    await page.enableMetrics();
    const tabId = (await tabIdsByWindow(browser, ext.worker)).get(await page.windowId());
    if (tabId === undefined || tabId < 0) throw new Error("no single extension tab in the page's window");
    const n = RATE * SECONDS;
    const socketUrl = (run: number) => `ws://127.0.0.1:${server.port}/blast?n=${n}&size=${SIZE}&rate=${RATE}&run=${run}`;

    const version = ((await browser.send('Browser.getVersion')) as { product: string }).product;
    console.log(`Sockscope panel bench: ${fmtInt(RATE)} messages/s of ${SIZE} bytes for ${SECONDS} s per view, headless ${version}\n`);
    const rows: string[][] = [];
    for (const [run, view] of VIEWS.entries()) {
      await page.navigate(pageUrl);
      const panel = await Target.openTab(browser, `chrome-extension://${ext.id}/panel/index.html?tabId=${tabId}`);
      await browser.settle();
      const url = socketUrl(run);
      const received = page.evaluate<PageResult>(
        `new Promise((resolve) => {
          const ws = new WebSocket(${JSON.stringify(url)});
          let count = 0;
          let first = 0;
          ws.onmessage = (event) => {
            if (event.data === ${JSON.stringify(DONE)}) {
              ws.close();
              return resolve({ count, ms: performance.now() - first });
            }
            if (count++ === 0) first = performance.now();
          };
        })`,
        (SECONDS + 120) * 1000,
      );
      await waitIn(panel, `[...document.querySelectorAll('[data-testid=socket-row]')].some((row) => row.textContent.includes('run=${run}'))`);
      await panel.evaluate(`[...document.querySelectorAll('[data-testid=socket-row]')].find((row) => row.textContent.includes('run=${run}')).click(); true`);
      await panel.evaluate(`${view.setup} true`);
      await panel.enableMetrics();
      const cpuBefore = [await page.taskDuration(), await panel.taskDuration()];
      const window = (SECONDS - 1) * 1000;
      const measure = () => panel.evaluate<AnimationFrameTimes>(animationFrameTimes(window), (SECONDS + 30) * 1000);
      const typed = view.typing === undefined ? null : typeFor(panel, '[data-testid=filter-query]', view.typing, window - 1000);
      const { result: { intervals }, cpuMs } = view.traced ? await cpuPerAnimationFrame(browser, measure) : { result: await measure(), cpuMs: [] };
      const keystrokes = (await typed) ?? [];
      const cpu = [(await page.taskDuration()) - cpuBefore[0], (await panel.taskDuration()) - cpuBefore[1]].map((s) => `${fmtInt((s * 1e5) / window)} %`);
      // Release what a preset held, then the page gets everything.
      await panel.evaluate(`document.querySelector('[data-testid=shaping-off]')?.click(); true`);
      const result = await received;
      await panel.close();
      const sorted = [...intervals].sort((a, b) => a - b);
      rows.push([
        view.label,
        fmt(percentile(sorted, 50), 1),
        fmt(percentile(sorted, 95), 1),
        fmt(sorted.at(-1) ?? Number.NaN, 0),
        `${fmt((100 * sorted.filter((ms) => ms > 50).length) / sorted.length, 1)} %`,
        cpuMs.length > 0 ? fmt(percentile([...cpuMs].sort((a, b) => a - b), 95), 1) : '',
        keystrokes.length > 0 ? `${keystrokeMs(percentile(keystrokes, 95))} / ${keystrokeMs(keystrokes.at(-1) as number)}` : '',
        ...cpu,
        fmtInt(((result.count - 1) / result.ms) * 1000),
      ]);
      if (result.count !== n) throw new Error(`${view.label}: the page received ${result.count} of ${n} messages`);
      process.stdout.write('.');
    }
    console.log('\n');
    console.log(table(['panel view', 'median frame ms', 'p95 frame ms', 'longest ms', 'frames > 50 ms', 'p95 CPU/frame ms', 'keystroke p95 / max ms', 'page CPU', 'panel CPU', 'page msg/s'], rows));
    await scale(browser, ext.id, tabId, page, pageUrl, server.port);
  } finally {
    await browser.close();
    await server.close();
  }
}

/**
 * A million messages in the panel: how long filtering them takes (by text and
 * by regex, from the keystroke to the count shown), and the panel's heap
 * against its budget (2 × payload bytes + 150 B per message).
 */
async function scale(browser: Chromium, extensionId: string, tabId: number, page: Target, pageUrl: string, port: number): Promise<void> {
  await page.navigate(pageUrl);
  const panel = await Target.openTab(browser, `chrome-extension://${extensionId}/panel/index.html?tabId=${tabId}`);
  const started = Date.now();
  await page.evaluate(`(() => { const ws = new WebSocket('ws://127.0.0.1:${port}/blast?n=${SCALE_MESSAGES}&size=${SCALE_SIZE}&run=scale'); ws.onmessage = (e) => e.data === ${JSON.stringify(DONE)} && ws.close(); return true; })()`);
  const held = () => panel.evaluate<number>(`Number((document.querySelector('.toolbar').textContent.match(/([\\d,.\\s]+) messages/) || [0, '0'])[1].replace(/\\D/g, ''))`);
  let count = 0;
  while ((count = await held()) < SCALE_MESSAGES) {
    if (Date.now() - started > 10 * 60_000) throw new Error(`the panel holds ${count} of ${SCALE_MESSAGES} messages after 10 minutes`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  const ingestS = (Date.now() - started) / 1000;
  await panel.evaluate(`[...document.querySelectorAll('[data-testid=socket-row]')].find((row) => row.textContent.includes('run=scale')).click(); true`);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  /** Types `query` and times it until the count shows the whole result (no search still running). */
  const filterMs = (query: string) =>
    panel.evaluate<number>(`new Promise((resolve) => {
      const input = document.querySelector('[data-testid=filter-query]');
      const count = () => document.querySelector('[data-testid=filter-count]').textContent;
      const before = count();
      const start = performance.now();
      input.value = ${JSON.stringify(query)};
      input.dispatchEvent(new Event('input', { bubbles: true }));
      const check = () => count() !== before && !document.querySelector('[data-testid=filter-searching]') ? resolve(performance.now() - start) : requestAnimationFrame(check);
      requestAnimationFrame(check);
    })`);
  const text = await filterMs('xxy');
  await filterMs('');
  const regex = await filterMs('/^x{64}$/');
  await filterMs('');
  // The panel's heap and its search worker's (which holds a copy of the previews).
  const worker = await searchWorkerSession(browser, panel);
  const heaps: number[] = [];
  for (const session of [panel.sessionId, worker]) {
    await browser.send('HeapProfiler.collectGarbage', {}, session);
    heaps.push(((await browser.send('Runtime.getHeapUsage', {}, session)) as { usedSize: number }).usedSize);
  }
  const usedSize = heaps[0] + heaps[1];
  const payload = SCALE_MESSAGES * SCALE_SIZE * 2;
  const budget = 2 * payload + 150 * SCALE_MESSAGES;
  console.log(`\n${fmtInt(SCALE_MESSAGES)} messages of ${SCALE_SIZE} bytes in the panel after ${fmt(ingestS, 0)} s:`);
  console.log(table(['measure', 'value', 'budget'], [
    ['filter by text (no match), keystroke to count', `${fmt(text, 0)} ms`, '150 ms'],
    ['filter by /regex/ (all match)', `${fmt(regex, 0)} ms`, '150 ms'],
    ['panel JS heap, page and search worker', `${fmtInt(heaps[0] / 2 ** 20)} + ${fmtInt(heaps[1] / 2 ** 20)} = ${fmtInt(usedSize / 2 ** 20)} MiB`, `${fmtInt(budget / 2 ** 20)} MiB (2 × ${fmtInt(payload / 2 ** 20)} MiB payload + 150 B/frame)`],
  ]));
  await panel.close();
}

/** A CDP session in the panel's search worker (the panel's auto-attached targets include the extension's service worker too). */
async function searchWorkerSession(browser: Chromium, panel: Target): Promise<string> {
  let off = () => {};
  const attached = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the panel runs no search worker')), 10_000);
    off = browser.onEvent((method, params: { sessionId: string; targetInfo: { type: string } }, session) => {
      if (method !== 'Target.attachedToTarget' || session !== panel.sessionId || params.targetInfo.type !== 'worker') return;
      clearTimeout(timer);
      resolve(params.sessionId);
    });
  });
  try {
    await panel.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: true });
    return await attached;
  } finally {
    off();
  }
}

async function waitIn(target: Target, condition: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await target.evaluate<boolean>(condition))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${condition}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
