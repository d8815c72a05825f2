// `npm run bench`, third part: how exactly shaping does what a rule says, in
// headless Chromium with dist/shim.js and the loopback echo server.
//
// Every time is the page's own clock. A page sends numbered messages to the
// echo server; the rule shapes one direction, so either its sends (up) or the
// echoes (down) are held:
//   latency    one message every 20 ms (1 MiB ones every 200 ms, so that they
//              do not queue behind each other on loopback), alternately on two
//              sockets, 100 each: one under { latencyMs: 50 }, one unshaped.
//              The added delay of a pair is the shaped round trip minus the
//              unshaped one sent just before it, so both cross the same load
//              (1 MiB round trips take some 45 ms on these shared machines and
//              drift with what else runs); target: its p50 within ±5 ms;
//   bandwidth  messages sent all at once under { bytesPerSecond: B }, B chosen
//              for about 10 s of transfer: the rate at which echoes arrive
//              (bytes after the first over the time from the first to the
//              last); target: within ±5 % of B.
// Every run checks that every echo came back, in order.
import { launchChromium } from '../lib/chromium';
import { standaloneShim } from '../lib/paths';
import { HOSTS, startConformanceServer } from '../conformance/server';
import { fmt, fmtInt, median, table } from './stats';

type Direction = 'up' | 'down';

interface PageRun {
  /** Per socket: round-trip times, ms, in send order. */
  rtts: number[][];
  /** Per socket: echo arrival times, ms. */
  arrivals: number[][];
  inOrder: boolean;
}

/** The socket a rule shapes (it matches this), and the unshaped one beside it. */
const SHAPED = '?shaped';
const UNSHAPED = '?unshaped';

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

    /**
     * Sends `count` numbered messages of `size` bytes on each of the sockets `urls`, taking turns,
     * one every `intervalMs` (0: all at once), under `rule`.
     */
    const run = async (rule: object, urls: string[], size: number, count: number, intervalMs: number): Promise<PageRun> => {
      await page.goto(pageUrl);
      return page.evaluate(
        async ({ urls, rule, size, count, intervalMs }) => {
          const api = (globalThis as unknown as { sockscope: { shape(rule: object): number } }).sockscope;
          api.shape(rule);
          let inOrder = true;
          const sockets = await Promise.all(
            urls.map(async (url) => {
              const ws = new WebSocket(url);
              await new Promise((resolve, reject) => ((ws.onopen = resolve), (ws.onerror = reject)));
              const socket = { ws, sentAt: [] as number[], rtts: [] as number[], arrivals: [] as number[], done: Promise.resolve() };
              socket.done = new Promise<void>((resolve) => {
                ws.onmessage = (event) => {
                  const now = performance.now();
                  const seq = Number((event.data as string).slice(0, 8));
                  if (seq !== socket.arrivals.length) inOrder = false;
                  socket.arrivals.push(now);
                  socket.rtts.push(now - socket.sentAt[seq]);
                  if (socket.arrivals.length === count) resolve();
                };
              });
              return socket;
            }),
          );
          const filler = 'x'.repeat(size - 8);
          for (let i = 0; i < count; i++) {
            for (const socket of sockets) {
              socket.sentAt[i] = performance.now();
              socket.ws.send(String(i).padStart(8, '0') + filler);
              if (intervalMs > 0) await new Promise((resolve) => setTimeout(resolve, intervalMs));
            }
          }
          for (const socket of sockets) {
            await socket.done;
            socket.ws.close();
          }
          return { rtts: sockets.map((s) => s.rtts), arrivals: sockets.map((s) => s.arrivals), inOrder };
        },
        { urls, rule, size, count, intervalMs },
      );
    };

    const rows: string[][] = [];
    const failures: string[] = [];
    for (const direction of ['up', 'down'] as Direction[]) {
      for (const size of SIZES) {
        const latency = await run({ match: SHAPED, [direction]: { latencyMs: LATENCY_MS } }, [echo + UNSHAPED, echo + SHAPED], size, 100, PACE[size]);
        const [unshaped, shaped] = latency.rtts;
        const baseline = median(unshaped);
        const added = median(shaped.map((rtt, i) => rtt - unshaped[i]));
        const { bytesPerSecond, messages } = BANDWIDTH[size];
        const bandwidth = await run({ match: SHAPED, [direction]: { bytesPerSecond } }, [echo + SHAPED], size, messages, 0);
        const arrivals = bandwidth.arrivals[0];
        const span = (arrivals[messages - 1] - arrivals[0]) / 1000;
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
