// `npm run bench`, second part: receive throughput in Firefox ESR, where
// WebSocketStream exists only as Sockscope provides it.
//
// One headless Firefox (WebDriver BiDi), the bench's loopback blast server.
// Each run receives N text messages of SIZE bytes in a freshly loaded page;
// throughput is messages over the time from the first to the Nth. Per round,
// configurations alternate (order rotating), each in its own tab:
//   native     the native WebSocket, no shim;
//   shim       dist/shim.js, WebSocket (the extension's shim is the same code);
//   provided   dist/shim.js with provideWebSocketStream, read with WebSocketStream.
// Every figure is a ratio to the same round's native WebSocket; the median is reported.
import puppeteer, { type Page } from 'puppeteer-core';
import { FIREFOX_PATH, standaloneShim } from '../lib/paths';
import { receiveExpression, type ReceiveResult } from './receive';
import { startServer } from './server';
import { envInt, fmt, fmtInt, median, ratios, table } from './stats';

const N = envInt('BENCH_N', 20_000);
const SIZE = envInt('BENCH_SIZE', 1024);
const ROUNDS = envInt('BENCH_FIREFOX_ROUNDS', 9);
const WARMUP = 1;

interface Config {
  name: string;
  label: string;
  api: 'websocket' | 'stream';
  init: string | null;
}

const CONFIGS: Config[] = [
  { name: 'native', label: 'native WebSocket', api: 'websocket', init: null },
  { name: 'shim', label: 'dist/shim.js, WebSocket', api: 'websocket', init: standaloneShim() },
  {
    name: 'provided',
    label: 'dist/shim.js, provided WebSocketStream',
    api: 'stream',
    init: `globalThis.sockscopeOptions = { provideWebSocketStream: true };\n${standaloneShim()}`,
  },
];


async function main(): Promise<void> {
  const server = await startServer();
  const browser = await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX_PATH, headless: true, protocol: 'webDriverBiDi' });
  try {
    const pages = new Map<string, Page>();
    for (const config of CONFIGS) {
      const page = await browser.newPage();
      if (config.init !== null) await page.evaluateOnNewDocument(config.init);
      pages.set(config.name, page);
    }
    const pageUrl = `http://127.0.0.1:${server.port}/`;
    const blastUrl = `ws://127.0.0.1:${server.port}/blast?n=${N}&size=${SIZE}`;
    const rates = new Map<string, number[]>(CONFIGS.map((c) => [c.name, []]));
    console.log(`Firefox: ${fmtInt(N)} messages of ${fmtInt(SIZE)} bytes per run, ${ROUNDS} rounds after ${WARMUP} warm-up`);
    for (let round = 0; round < WARMUP + ROUNDS; round++) {
      for (let i = 0; i < CONFIGS.length; i++) {
        const config = CONFIGS[(round + i) % CONFIGS.length];
        const page = pages.get(config.name) as Page;
        await page.bringToFront();
        await page.goto(pageUrl, { waitUntil: 'load' });
        const result = (await page.evaluate(receiveExpression(config.api, blastUrl, N))) as ReceiveResult;
        if (result.count !== N || !result.done || result.chars !== N * SIZE) {
          throw new Error(`${config.label}: received ${result.count} messages, ${result.chars} characters, done ${result.done}`);
        }
        if (round >= WARMUP) rates.get(config.name)?.push(((N - 1) / result.ms) * 1000);
      }
      process.stdout.write(round < WARMUP ? 'w' : '.');
    }
    process.stdout.write('\n');
    const native = rates.get('native') as number[];
    console.log(
      table(
        ['configuration', 'median msg/s', 'ratio to native (median)', 'range'],
        CONFIGS.map((config) => {
          const own = rates.get(config.name) as number[];
          const r = ratios(own, native);
          return [config.label, fmtInt(median(own)), fmt(median(r)), `${fmt(Math.min(...r))}–${fmt(Math.max(...r))}`];
        }),
      ),
    );
  } finally {
    await browser.close();
    await server.close();
  }
}

await main();
