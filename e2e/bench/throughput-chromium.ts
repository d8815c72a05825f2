// `npm run bench`: receive throughput of the shim against native WebSocket
// (or, with BENCH_API=stream, WebSocketStream).
//
// One headless Chromium with the built extension (dist/chrome), one loopback
// server. Each run opens a socket that receives N text messages of SIZE
// bytes and counts them in a minimal `onmessage` (or read loop); throughput is messages over
// the time from the first to the last. Configurations alternate within each
// round (their order rotates from round to round), and every shim figure is
// compared with the native run of the same round, then the median is taken.
//
// Configurations, each in its own tab, each run in a freshly loaded page:
//   native      a page the extension's content scripts skip (see below);
//   closed      the extension's shim and bridge, no panel attached;
//   open        the same, with the panel page attached to the tab and live;
//   standalone  dist/shim.js injected before the page's scripts (informational;
//               BENCH_STANDALONE_OPTIONS='{"classicOverStream":true}', say, sets its
//               sockscopeOptions).
//
// The native baseline. The manifest matches every http(s) and file page, so
// the bench loads a copy of dist/chrome whose content scripts exclude
// native.localhost and standalone.localhost (`exclude_matches`, scripts
// byte-identical). All pages are the same document from the same server,
// differing only in host name (each *.localhost resolves to loopback); each
// page's instrumentation is checked before measuring. The alternatives lose
// like-for-like: a second browser without the extension is another process
// tree measured at other moments; about:blank pages cannot open sockets to
// 127.0.0.1 here; a worker's WebSocket runs on another thread.
//
// The panel is opened as an ordinary tab (panel/index.html?tabId=N), not inside
// a DevTools window: an open DevTools window costs throughput by itself
// (BROWSERS.md), which is not the panel's cost. Its baseline is the same
// round's native run.
//
// Chromium is driven over a bare CDP pipe, not Playwright: see chromium-pipe.ts.
import { existsSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { SocketInfo } from '../../shim/wire/records';
import { Chromium, Target, type ProcessKind } from './chromium-pipe';
import { findExtension, readShimState, tabIdsByWindow } from './extension';
import { prepareExtension } from '../lib/extension-copy';
import { INSTRUMENTATION_PROBE, type Instrumentation } from '../lib/instrumentation-probe';
import { startProfiles } from './profile';
import { receiveExpression, type ReceiveResult } from './receive';
import { DONE, startServer, type BenchServer } from './server';
import { envInt, fmt, fmtInt, median, ratios, table } from './stats';

const N = envInt('BENCH_N', 20_000);
const SIZE = envInt('BENCH_SIZE', 1024);
/** `websocket` (default) or `stream`: the page reads with WebSocketStream (Chromium), through the shim's page-side readable. */
const API = apiOf(process.env.BENCH_API ?? 'websocket');
const ROUNDS = envInt('BENCH_ROUNDS', 15);
/** JSON of the standalone tab's `sockscopeOptions`, if any. */
const STANDALONE_OPTIONS = process.env.BENCH_STANDALONE_OPTIONS;
const WARMUP = 1;
const STRICT = process.env.BENCH_STRICT === '1';
/** A directory: profile the page, the panel and the worker in every panel-open run (see profile.ts). */
const PROFILE_DIR = process.env.BENCH_PROFILE;
const CHROMIUM = process.env.SOCKSCOPE_CHROMIUM ?? '/usr/bin/chromium';
/** Past this the bench gives up (and closes everything): a wedged run must not hang CI. */
const DEADLINE_MS = 4 * 60_000;
/** The shim's history keeps at most this many messages per socket (shim/capture/history.ts DEFAULT_LIMITS). */
const HISTORY_MESSAGES = 1_000;

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));

type ConfigName = 'native' | 'closed' | 'open' | 'standalone';

interface Config {
  name: ConfigName;
  label: string;
  host: string;
  /** Minimum throughput ratio against native (the issue's budget); none for informational rows. */
  budget?: number;
}

const CONFIGS: Config[] = [
  { name: 'native', label: API === 'stream' ? 'native WebSocketStream' : 'native WebSocket', host: 'native.localhost' },
  { name: 'closed', label: 'extension, panel closed', host: 'closed.localhost', budget: 0.97 },
  { name: 'open', label: 'extension, panel open', host: 'open.localhost', budget: 0.9 },
  { name: 'standalone', label: `dist/shim.js (standalone${STANDALONE_OPTIONS ? `, ${STANDALONE_OPTIONS}` : ''})`, host: 'standalone.localhost' },
];
const PROCESS_KINDS: ProcessKind[] = ['browser', 'network', 'renderer', 'extension', 'other'];
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const UNINSTRUMENTED_HOSTS = ['native.localhost', 'standalone.localhost'];

interface Run {
  /** Messages per second, first to last message. */
  rate: number;
  /** The page renderer's main-thread CPU time per message, microseconds. */
  cpu: number;
  /** The panel tab's main-thread CPU time per message, microseconds (panel-open runs). */
  panelCpu?: number;
  /** CPU time of the browser's processes per message, microseconds, by kind: the whole cost, on any thread. */
  browserCpu: Record<ProcessKind, number>;
}

function apiOf(value: string): 'websocket' | 'stream' {
  if (value !== 'websocket' && value !== 'stream') throw new Error('BENCH_API must be websocket or stream');
  return value;
}


const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits until a tab's main thread stops working (its CPU time stops growing), at most `timeoutMs`. */
async function quiesce(tab: Target, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = await tab.taskDuration();
  while (Date.now() < deadline) {
    await sleep(250);
    const now = await tab.taskDuration();
    if (now - last < 0.01) return;
    last = now;
  }
}

async function main(): Promise<void> {
  for (const file of ['chrome/manifest.json', 'chrome/panel/index.html', 'shim.js']) {
    if (!existsSync(DIST + file)) throw new Error(`dist/${file} is missing: run \`vite build\` first (npm run bench does)`);
  }
  const started = Date.now();
  const extension = prepareExtension(DIST + 'chrome', UNINSTRUMENTED_HOSTS);
  let server: BenchServer | null = null;
  let browser: Chromium | null = null;
  const cleanup = async () => {
    await browser?.close().catch(() => undefined);
    await server?.close().catch(() => undefined);
    extension.remove();
  };
  const watchdog = setTimeout(() => {
    console.error(`bench: over ${DEADLINE_MS / 1000} s, giving up`);
    void cleanup().finally(() => process.exit(2));
  }, DEADLINE_MS);
  process.once('SIGINT', () => void cleanup().finally(() => process.exit(130)));

  let ok = true;
  try {
    server = await startServer();
    const port = server.port;
    browser = await Chromium.launch({ executablePath: CHROMIUM, extension: extension.dir });
    const version = ((await browser.send('Browser.getVersion')) as { product: string }).product;
    const ext = await findExtension(browser);
    const pageUrl = (config: Config) => `http://${config.host}:${port}/?config=${config.name}`;
    const blastUrl = `ws://127.0.0.1:${port}/blast?n=${N}&size=${SIZE}`;

    // One tab per configuration, kept for the whole run.
    const tabs = new Map<ConfigName, Target>();
    for (const config of CONFIGS) {
      const tab = await Target.openTab(browser);
      if (config.name === 'standalone') {
        const options = STANDALONE_OPTIONS ? `globalThis.sockscopeOptions = ${JSON.stringify(JSON.parse(STANDALONE_OPTIONS))};\n` : '';
        await tab.send('Page.addScriptToEvaluateOnNewDocument', { source: options + readFileSync(DIST + 'shim.js', 'utf8') });
      }
      await tab.navigate(pageUrl(config));
      await tab.enableMetrics();
      tabs.set(config.name, tab);
      const probe = await tab.evaluate<Instrumentation>(INSTRUMENTATION_PROBE);
      const expected = { extension: config.name === 'closed' || config.name === 'open', standalone: config.name === 'standalone' };
      if (probe.extension !== expected.extension || probe.standalone !== expected.standalone) {
        throw new Error(`${config.label}: instrumentation is ${JSON.stringify(probe)}, expected ${JSON.stringify(expected)}`);
      }
    }
    const byWindow = await tabIdsByWindow(browser, ext.worker);
    const tabIds = new Map<ConfigName, number>();
    for (const [name, tab] of tabs) {
      const id = byWindow.get(await tab.windowId());
      if (id === undefined || id < 0) throw new Error(`no single extension tab in ${name}'s window`);
      tabIds.set(name, id);
    }
    const tabIdOf = (config: Config) => tabIds.get(config.name)!;
    const panelUrl = (config: Config) => `chrome-extension://${ext.id}/panel/index.html?tabId=${tabIdOf(config)}`;

    const panelViews: PanelView[] = [];
    const worker = PROFILE_DIR ? await Target.attach(browser, ext.worker) : null;
    let profileSummary = '';
    let profileRun = 0;
    const runOnce = async (config: Config): Promise<Run> => {
      const tab = tabs.get(config.name)!;
      // A fresh document every run: the shim starts each with an empty history.
      await tab.navigate(pageUrl(config));
      let panel: Target | null = null;
      if (config.name === 'open') {
        panel = await Target.openTab(browser!, panelUrl(config));
        await panel.enableMetrics();
        // Started, attached and subscribed (a few port messages) before the run begins.
        await quiesce(panel);
      } else {
        await sleep(150);
      }
      const before = await tab.taskDuration();
      const panelBefore = panel ? await panel.taskDuration() : 0;
      const browserBefore = browser!.cpuSeconds();
      const stopProfiles =
        panel && worker && PROFILE_DIR ? await startProfiles({ page: tab, panel, worker }, PROFILE_DIR, `open-${++profileRun}`) : null;
      const result = await tab.evaluate<ReceiveResult>(receiveExpression(API, blastUrl, N), 60_000);
      const cpu = ((await tab.taskDuration()) - before) / N;
      if (result.count !== N || result.chars !== N * SIZE || !result.done) {
        throw new Error(`${config.label}: page received ${result.count} messages, ${result.chars} characters, done=${result.done}`);
      }
      // Let the panel finish what it was sent, so its work counts here and does not spill into the next run.
      if (panel) await quiesce(panel);
      if (stopProfiles) profileSummary = await stopProfiles();
      const browserAfter = browser!.cpuSeconds();
      const browserCpu = { ...browserAfter };
      for (const kind of PROCESS_KINDS) browserCpu[kind] = ((browserAfter[kind] - browserBefore[kind]) / N) * 1e6;
      const run: Run = { rate: ((N - 1) / result.ms) * 1000, cpu: cpu * 1e6, browserCpu };
      if (panel) {
        run.panelCpu = (((await panel.taskDuration()) - panelBefore) / N) * 1e6;
        panelViews.push(await readPanel(panel));
        await panel.close();
      }
      if (config.name === 'standalone') await checkStandalone(tab);
      return run;
    };

    console.log(`Sockscope bench: ${fmtInt(N)} text messages of ${fmtInt(SIZE)} bytes per run, read with ${API === 'stream' ? 'WebSocketStream' : 'WebSocket'}, ${ROUNDS} rounds (+${WARMUP} warm-up)`);
    console.log(`${version}, ${cpus().length} CPUs, server ws://127.0.0.1:${port}, extension ${ext.id}`);
    console.log('native baseline: the same page on native.localhost, which the loaded copy of dist/chrome excludes;');
    console.log('panel open: panel/index.html?tabId=… in a tab of its own, no DevTools window.\n');

    const runs = new Map<ConfigName, Run[]>(CONFIGS.map((c) => [c.name, []]));
    const perRound: string[][] = [];
    for (let round = 0; round < WARMUP + ROUNDS; round++) {
      const order = CONFIGS.map((_, i) => CONFIGS[(i + round) % CONFIGS.length]);
      const row: Partial<Record<ConfigName, Run>> = {};
      for (const config of order) row[config.name] = await runOnce(config);
      const warm = round < WARMUP;
      if (!warm) for (const config of CONFIGS) runs.get(config.name)!.push(row[config.name]!);
      perRound.push([
        warm ? 'warm-up' : `${round - WARMUP + 1}`,
        order.map((c) => c.name[0]).join(''),
        ...CONFIGS.map((c) => `${fmtInt(row[c.name]!.rate)} / ${fmt(row[c.name]!.cpu, 1)}`),
      ]);
      process.stdout.write('.');
    }
    process.stdout.write('\n\n');

    console.log('Per round: messages/s / renderer main-thread CPU µs per message (order: n=native c=closed o=open s=standalone)');
    console.log(table(['round', 'order', ...CONFIGS.map((c) => c.name)], perRound) + '\n');

    const native = runs.get('native')!;
    const summary: string[][] = [];
    const browserSplit: string[][] = [];
    const verdicts: string[] = [];
    let missed = false;
    for (const config of CONFIGS) {
      const list = runs.get(config.name)!;
      const rate = list.map((r) => r.rate);
      const cpu = list.map((r) => r.cpu);
      const browserCpu = fmt(median(list.map((r) => sum(Object.values(r.browserCpu)))), 1);
      browserSplit.push([config.label, ...PROCESS_KINDS.map((kind) => fmt(median(list.map((r) => r.browserCpu[kind])), 1))]);
      if (config.name === 'native') {
        summary.push([config.label, fmtInt(median(rate)), '', '', fmt(median(cpu), 1), '', '', browserCpu]);
        continue;
      }
      const rateRatios = ratios(rate, native.map((r) => r.rate));
      const rateRatio = median(rateRatios);
      // Native CPU over shim CPU per message: the throughput ratio a page whose main
      // thread is the bottleneck would see. Steadier than wall-clock rates.
      const cpuRatio = median(ratios(native.map((r) => r.cpu), cpu));
      const panelCpu = list.flatMap((r) => (r.panelCpu === undefined ? [] : [r.panelCpu]));
      summary.push([
        config.label,
        fmtInt(median(rate)),
        fmt(rateRatio, 3),
        `${fmt(Math.min(...rateRatios))}–${fmt(Math.max(...rateRatios))}`,
        fmt(median(cpu), 1),
        fmt(cpuRatio, 3),
        panelCpu.length ? fmt(median(panelCpu), 1) : '',
        browserCpu,
      ]);
      const budget = config.budget;
      if (budget === undefined) continue;
      const pass = rateRatio >= budget;
      missed ||= !pass;
      verdicts.push(
        `  ${pass ? 'PASS' : 'FAIL'}  ${config.label.padEnd(24)} ${fmt(rateRatio, 3)}  (budget ≥ ${fmt(budget)}; ` +
          `main-thread CPU ${fmt(median(cpu), 1)} vs ${fmt(median(native.map((r) => r.cpu)), 1)} µs/msg, ${fmt(cpuRatio, 3)} if CPU-bound)`,
      );
    }
    console.log('Summary: medians over rounds; each ratio is taken within a round (shim run / that round\'s native run), then the median.');
    console.log('  ratio: throughput shim/native; CPU ratio: native/shim main-thread CPU per message (what a CPU-bound page would see);');
    console.log('  panel: the panel tab\'s own main-thread CPU per message; browser: every browser process\'s CPU per message.');
    console.log(table(['configuration', 'msg/s', 'ratio', 'ratio range', 'CPU µs/msg', 'CPU ratio', 'panel µs/msg', 'browser µs/msg'], summary) + '\n');
    console.log('Browser CPU µs per message by process (medians; extension = the panel page and the background worker):');
    console.log(table(['configuration', ...PROCESS_KINDS], browserSplit) + '\n');
    console.log(`Budgets, ${fmtInt(SIZE)}-byte text messages, throughput shim/native:`);
    console.log(verdicts.join('\n') + '\n');

    // Correctness: the shim saw every message, whether or not a panel was attached.
    const checks: string[] = [];
    const checkPage = await Target.openTab(browser, `chrome-extension://${ext.id}/manifest.json`);
    for (const name of ['closed', 'open'] as const) {
      const config = CONFIGS.find((c) => c.name === name)!;
      const state = await readShimState(checkPage, tabIdOf(config), '/blast');
      const socket = state.sockets.find((s) => s.url.includes('/blast'));
      const problem = socketProblem(socket, state.messages);
      ok &&= !problem;
      checks.push(`  ${problem ? 'FAIL' : 'ok  '}  ${config.label}: ${problem ?? describe(socket!, state.messages)}`);
    }
    await checkPage.close();
    // Every panel-open run is checked; the last one is described.
    const problem = panelViews.length === 0 ? 'never read' : panelViews.map(panelProblem).find((p) => p !== null);
    ok &&= !problem;
    checks.push(`  ${problem ? 'FAIL' : 'ok  '}  the panel page (open, live): ${problem ?? describePanel(panelViews[panelViews.length - 1])}`);
    checks.push(`  ok    dist/shim.js: sockscope.sockets() counted every message in each of ${WARMUP + ROUNDS} runs`);
    if (profileSummary) console.log(`Self time in the last panel-open run (all runs profiled into ${PROFILE_DIR}):\n${profileSummary}\n`);
    console.log('Correctness (last run of each configuration, as the shim recorded it):');
    console.log(checks.join('\n'));
    console.log(`\nTook ${fmt((Date.now() - started) / 1000, 1)} s.`);
    if (missed && STRICT) {
      ok = false;
      console.log('A budget was missed and BENCH_STRICT=1: exit status 1.');
    }
    if (missed && !STRICT) console.log('A budget was missed; exit status stays 0 (set BENCH_STRICT=1 to fail on it).');
  } finally {
    clearTimeout(watchdog);
    await cleanup();
  }
  process.exitCode = ok ? 0 : 1;
}

/** N messages plus the DONE marker, all received, none sent; messages beyond the history bound counted as dropped. */
function socketProblem(socket: SocketInfo | undefined, retained: number): string | null {
  if (!socket) return 'no record of the socket';
  const expected = N + 1;
  if (socket.received !== expected) return `received ${socket.received}, expected ${expected}`;
  const bytes = N * SIZE + DONE.length;
  if (socket.receivedBytes !== bytes) return `receivedBytes ${socket.receivedBytes}, expected ${bytes}`;
  if (socket.sent !== 0) return `sent ${socket.sent}, expected 0`;
  if (retained + socket.dropped !== expected) return `${retained} messages retained + ${socket.dropped} dropped ≠ ${expected}`;
  if (retained > HISTORY_MESSAGES) return `${retained} messages retained, over the history bound ${HISTORY_MESSAGES}`;
  return null;
}

const describe = (socket: SocketInfo, retained: number) =>
  `received ${fmtInt(socket.received)} (= N + done), ${fmtInt(socket.receivedBytes)} bytes; history kept ${fmtInt(retained)}, dropped ${fmtInt(socket.dropped)}`;

interface PanelView {
  /** Text of the panel's row for the bench socket. */
  row: string | null;
  /** N + 1 as the panel formats counts. */
  expected: string;
  /** Messages in the panel's log, and messages it dropped to stay within its limits. */
  messages: number | null;
  dropped: number;
}

/** What the panel shows once it has caught up (its DOM test hooks and toolbar text). */
function readPanel(panel: Target): Promise<PanelView> {
  return panel.evaluate<PanelView>(`(() => {
    const number = (match) => (match ? Number(match[1].replace(/\\D/g, '')) : null);
    const row = Array.from(document.querySelectorAll('[data-testid=socket-row]')).find((r) => r.textContent.includes('/blast'));
    const toolbar = Array.from(document.querySelectorAll('.toolbar-text'), (e) => e.textContent).join(' ');
    return {
      row: row ? row.textContent : null,
      expected: new Intl.NumberFormat().format(${N + 1}),
      messages: number(/([\\d.,\\s]+) messages?/.exec(toolbar)),
      dropped: number(/([\\d.,\\s]+) dropped/.exec(toolbar)) ?? 0,
    };
  })()`);
}

function panelProblem(view: PanelView): string | null {
  if (view.row === null) return 'no row for the bench socket';
  if (!view.row.includes(view.expected)) return `its socket row does not show ${view.expected} received: "${view.row}"`;
  const missing = N + 1 - ((view.messages ?? 0) + view.dropped);
  if (missing > 0) return `${fmtInt(missing)} messages never reached its log`;
  return null;
}

function describePanel(view: PanelView): string {
  return (
    `socket row shows ${view.expected} received; every message reached the log, which holds ${fmtInt(view.messages ?? 0)}` +
    (view.dropped ? ` (+${fmtInt(view.dropped)} dropped by its limits)` : '')
  );
}

async function checkStandalone(tab: Target): Promise<void> {
  const state = await tab.evaluate<{ socket?: SocketInfo; messages: number }>(`(() => {
    const socket = sockscope.sockets().find((s) => s.url.includes('/blast'));
    return { socket, messages: socket ? sockscope.messages(socket.id).length : 0 };
  })()`);
  const problem = socketProblem(state.socket, state.messages);
  if (problem) throw new Error(`dist/shim.js: ${problem}`);
}

await main();
