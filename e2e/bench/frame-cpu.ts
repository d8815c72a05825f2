// The main-thread CPU a page spends per frame, from a Chromium trace: what
// the page's own work costs each frame, apart from the time other processes
// hold the cores. On a 2-core machine that also runs the page under
// inspection, the relay, the server and a software compositor, a frame's
// wall-clock interval is mostly the panel waiting for a core.
import type { Chromium } from './chromium-pipe';

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  /** Thread (CPU) time of a complete event, µs. */
  tdur?: number;
  args?: { src_func?: string };
}

/** A renderer main thread's task that makes a frame: posted by the compositor to begin the main frame. */
const isAnimationFrameTask = (event: TraceEvent): boolean => event.args?.src_func === 'ScheduledActionSendBeginMainFrame';

/**
 * Runs `during` under a trace (only top-level tasks, to cost little). Returns
 * its result and, for the renderer main thread that made the most frames (the
 * page that animates), the CPU milliseconds of its tasks per frame: from the
 * previous frame's task up to and including this frame's own.
 */
export async function cpuPerAnimationFrame<T>(browser: Chromium, during: () => Promise<T>): Promise<{ result: T; cpuMs: number[] }> {
  const events: TraceEvent[] = [];
  const off = browser.onEvent((method, params: { value: TraceEvent[] }) => {
    if (method === 'Tracing.dataCollected') events.push(...params.value);
  });
  await browser.send('Tracing.start', { categories: 'toplevel', transferMode: 'ReportEvents' });
  let result: T;
  try {
    result = await during();
  } finally {
    const done = browser.waitForEvent('Tracing.tracingComplete', undefined, 60_000);
    await browser.send('Tracing.end');
    await done;
    off();
  }
  const threads = new Map<string, TraceEvent[]>();
  for (const e of events) {
    if (e.ph !== 'X' || e.name !== 'ThreadControllerImpl::RunTask') continue;
    const thread = `${e.pid}:${e.tid}`;
    threads.set(thread, [...(threads.get(thread) ?? []), e]);
  }
  const animationFrameCount = (tasks: TraceEvent[]) => tasks.filter(isAnimationFrameTask).length;
  const tasks = [...threads.values()].reduce((a, b) => (animationFrameCount(b) > animationFrameCount(a) ? b : a), []).sort((a, b) => a.ts - b.ts);
  const cpuMs: number[] = [];
  let cpu = 0;
  let started = false;
  for (const task of tasks) {
    cpu += task.tdur ?? 0;
    if (!isAnimationFrameTask(task)) continue;
    if (started) cpuMs.push(cpu / 1000);
    started = true;
    cpu = 0;
  }
  return { result, cpuMs };
}
