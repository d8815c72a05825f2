// `npm run bench`, third part: how exactly shaping does what a rule says, in
// headless Chromium with dist/shim.js and the loopback echo server.
//
// Every time is the page's own clock. A page sends numbered messages to the
// echo server; the rule shapes one direction, so either its sends (up) or the
// echoes (down) are held:
//   latency    100 messages, one every 20 ms (1 MiB ones every 200 ms, so that
//              they do not queue behind each other on loopback), under
//              { latencyMs: 50 }: the added delay is each round trip minus the
//              median unshaped one at the same pace; target: p50 within ±5 ms;
//   bandwidth  messages sent all at once under { bytesPerSecond: B }, B chosen
//              for about 10 s of transfer: the rate at which echoes arrive
//              (bytes after the first over the time from the first to the
//              last); target: within ±5 % of B.
// Every run checks that every echo came back, in order.
import { launchChromium } from './lib/chromium';
import { standaloneShim } from './lib/paths';
import { HOSTS, startConformanceServer } from './conformance/server';
import { fmt, fmtInt, median, table } from './bench/stats';

type Direction = 'up' | 'down';

interface PageRun {
  /** Round-trip times, ms, in send order. */
  rtts: number[];
  /** Echo arrival times, ms. */
  arrivals: number[];
  inOrder: boolean;
}

const LATENCY_MS = 50;
const SIZES = [1024, 64 * 1024, 1024 * 1024];
/** Milliseconds between the latency runs' messages: well above an unshaped round trip. */
const PACE: Record<number, number> = { 1024: 20, [64 * 1024]: 20, [1024 * 1024]: 200 };
/** Bytes per second for about 10 s of transfer at each size, and the message count. */
const BANDWIDTH: Record<number, { bytesPerSecond: number; messages: number }> = {
  1024: { bytesPerSecond: 100 * 1024, messages: 1000 },
  [64 * 1024]: { bytesPerSecond: 1024 * 1024, messages: 160 },
  [1024 * 1024]: { bytesPerSecond: 4 * 1024 * 1024, messages: 40 },
};

async function main(): Promise<void> {
  const server = await startConformanceServer();
  const chromium = await launchChromium();
  try {
    const page = await chromium.context.newPage();
    await page.addInitScript({ content: standaloneShim() });
    const pageUrl = `${server.pageOrigin(HOSTS.standalone)}/page.html?bench`;
    const echo = `${server.socketOrigin}/echo`;

    /** Sends `count` numbered messages of `size` bytes, every `intervalMs` (0: all at once), under `rule` (null: none). */
    const run = async (rule: object | null, size: number, count: number, intervalMs: number): Promise<PageRun> => {
      await page.goto(pageUrl);
      return page.evaluate(
        async ({ echo, rule, size, count, intervalMs }) => {
          const api = (globalThis as unknown as { sockscope: { shape(rule: object): number } }).sockscope;
          if (rule) api.shape(rule);
          const ws = new WebSocket(echo);
          await new Promise((resolve, reject) => ((ws.onopen = resolve), (ws.onerror = reject)));
          const sentAt: number[] = [];
          const rtts: number[] = [];
          const arrivals: number[] = [];
          let inOrder = true;
          const done = new Promise<void>((resolve) => {
            ws.onmessage = (event) => {
              const now = performance.now();
              const seq = Number((event.data as string).slice(0, 8));
              if (seq !== arrivals.length) inOrder = false;
              arrivals.push(now);
              rtts.push(now - sentAt[seq]);
              if (arrivals.length === count) resolve();
            };
          });
          const filler = 'x'.repeat(size - 8);
          for (let i = 0; i < count; i++) {
            sentAt[i] = performance.now();
            ws.send(String(i).padStart(8, '0') + filler);
            if (intervalMs > 0) await new Promise((resolve) => setTimeout(resolve, intervalMs));
          }
          await done;
          ws.close();
          return { rtts, arrivals, inOrder };
        },
        { echo, rule, size, count, intervalMs },
      );
    };

    const rows: string[][] = [];
    const failures: string[] = [];
    for (const direction of ['up', 'down'] as Direction[]) {
      for (const size of SIZES) {
        const baseline = median((await run(null, size, 100, PACE[size])).rtts);
        const latency = await run({ match: '/echo', [direction]: { latencyMs: LATENCY_MS } }, size, 100, PACE[size]);
        const added = median(latency.rtts) - baseline;
        const { bytesPerSecond, messages } = BANDWIDTH[size];
        const bandwidth = await run({ match: '/echo', [direction]: { bytesPerSecond } }, size, messages, 0);
        const span = (bandwidth.arrivals[messages - 1] - bandwidth.arrivals[0]) / 1000;
        const rate = ((messages - 1) * size) / span;
        const inOrder = latency.inOrder && bandwidth.inOrder;
        const label = `${direction} ${fmtInt(size / 1024)} KiB`;
        rows.push([label, fmt(added, 1), fmt(baseline, 2), fmtInt(bytesPerSecond), fmtInt(rate), fmt(rate / bytesPerSecond, 3), fmt(span, 1), inOrder ? 'yes' : 'NO']);
        if (Math.abs(added - LATENCY_MS) > 5) failures.push(`${label}: added latency p50 ${fmt(added, 1)} ms, target ${LATENCY_MS} ± 5`);
        if (Math.abs(rate / bytesPerSecond - 1) > 0.05) failures.push(`${label}: bandwidth ${fmt(rate / bytesPerSecond, 3)} of the target, ± 5 %`);
        if (!inOrder) failures.push(`${label}: messages out of order`);
        process.stdout.write('.');
      }
    }
    process.stdout.write('\n');
    console.log(`Shaping accuracy (Chromium, dist/shim.js, loopback echo; latency target ${LATENCY_MS} ms):`);
    console.log(
      table(['direction, size', 'added p50 ms', 'unshaped RTT ms', 'target B/s', 'delivered B/s', 'ratio', 'span s', 'in order'], rows),
    );
    for (const failure of failures) console.log(`  MISS  ${failure}`);
    if (failures.length === 0) console.log('  ok    every case within ±5 ms and ±5 %, in order');
    if (failures.length > 0 && process.env.BENCH_STRICT === '1') process.exitCode = 1;
  } finally {
    await chromium.close();
    await server.close();
  }
}

await main();
