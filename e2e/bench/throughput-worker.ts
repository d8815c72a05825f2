// `npm run bench`, worker part: receive throughput of a dedicated worker's
// socket with the shim's engine first in the worker (dist/shim.js, as every
// route into a worker would run it) against the same worker without it, in
// Chromium and in Firefox. The shim is the worker script's first part in
// both browsers, so this measures the engine's per-message cost on a
// worker's thread, not a capture route (issue 19 chooses those).
//
// Per round, the two configurations alternate (order rotating), each in a
// freshly loaded page that starts a blob: worker receiving N text messages
// of SIZE bytes from the bench's blast server; the figure is the ratio to
// the same round's native worker, and the median is reported.
import { chromium } from 'playwright-core';
import puppeteer from 'puppeteer-core';
import { CHROMIUM_PATH, FIREFOX_PATH, standaloneShim } from '../lib/paths';
import { receiveExpression, type ReceiveResult } from './receive';
import { startServer } from './server';
import { envInt, fmt, fmtInt, median, ratios, table } from './stats';

const N = envInt('BENCH_N', 20_000);
const SIZE = envInt('BENCH_SIZE', 1024);
const ROUNDS = envInt('BENCH_WORKER_ROUNDS', 7);
const WARMUP = 1;

/** The page's expression: a worker running `prefix` and then the receive loop, its result posted back. */
function inWorker(prefix: string, blastUrl: string): string {
  const code = `${prefix}\n(${receiveExpression('websocket', blastUrl, N)}).then((result) => postMessage(result), (error) => postMessage({ error: String(error) }));`;
  return `new Promise((resolve, reject) => {
    const worker = new Worker(URL.createObjectURL(new Blob([${JSON.stringify(code)}], { type: 'text/javascript' })));
    worker.onmessage = (event) => (event.data.error ? reject(new Error(event.data.error)) : resolve(event.data), worker.terminate());
    worker.onerror = (event) => reject(new Error('the worker failed: ' + event.message));
  })`;
}

interface Browser {
  name: string;
  /** Loads the bench page afresh and evaluates `expression` there. */
  run(expression: string): Promise<ReceiveResult>;
  close(): Promise<void>;
}

async function launch(name: 'Chromium' | 'Firefox', pageUrl: string): Promise<Browser> {
  if (name === 'Chromium') {
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH });
    const page = await browser.newPage();
    return {
      name,
      run: async (expression) => (await page.goto(pageUrl), page.evaluate(expression) as Promise<ReceiveResult>),
      close: () => browser.close(),
    };
  }
  const browser = await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX_PATH, headless: true, protocol: 'webDriverBiDi' });
  const page = await browser.newPage();
  return {
    name,
    run: async (expression) => (await page.goto(pageUrl, { waitUntil: 'load' }), page.evaluate(expression) as Promise<ReceiveResult>),
    close: () => browser.close(),
  };
}

async function main(): Promise<void> {
  const server = await startServer();
  const pageUrl = `http://127.0.0.1:${server.port}/`;
  const blastUrl = `ws://127.0.0.1:${server.port}/blast?n=${N}&size=${SIZE}`;
  const configs = [
    { name: 'native', expression: inWorker('', blastUrl) },
    { name: 'shim', expression: inWorker(standaloneShim(), blastUrl) },
  ];
  const rows: string[][] = [];
  try {
    for (const name of ['Chromium', 'Firefox'] as const) {
      const browser = await launch(name, pageUrl);
      const rates: Record<string, number[]> = { native: [], shim: [] };
      try {
        for (let round = 0; round < WARMUP + ROUNDS; round++) {
          for (let i = 0; i < configs.length; i++) {
            const config = configs[(round + i) % configs.length];
            const result = await browser.run(config.expression);
            if (result.count !== N || !result.done || result.chars !== N * SIZE) {
              throw new Error(`${name}, ${config.name} worker: received ${result.count} messages, ${result.chars} characters, done ${result.done}`);
            }
            if (round >= WARMUP) rates[config.name].push(((N - 1) / result.ms) * 1000);
          }
        }
      } finally {
        await browser.close();
      }
      const r = ratios(rates.shim, rates.native);
      rows.push([name, fmtInt(median(rates.native)), fmtInt(median(rates.shim)), fmt(median(r)), `${fmt(Math.min(...r))}–${fmt(Math.max(...r))}`]);
    }
  } finally {
    await server.close();
  }
  console.log(`Dedicated worker's socket: ${fmtInt(N)} messages of ${fmtInt(SIZE)} bytes per run, ${ROUNDS} rounds after ${WARMUP} warm-up`);
  console.log(table(['browser', 'native msg/s', 'with the shim msg/s', 'ratio (median)', 'range'], rows));
}

await main();
