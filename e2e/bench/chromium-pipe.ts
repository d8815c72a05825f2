// Chromium driven over a bare CDP pipe. Not Playwright (nor puppeteer): both
// enable the Network domain on every page they attach to, and Chromium then
// reports every WebSocket frame, payload included, to the client, which
// costs the renderer main-thread time per message and throughput and would
// hide the shim's own cost. The benches enable only Page and Performance on
// the pages they measure.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { CdpClient, type EventHandler } from '../lib/cdp';

type Params = Record<string, unknown>;
/** USER_HZ: the unit of /proc CPU times, 100 on Linux. */
const CLOCK_TICKS_PER_SECOND = 100;
/** CDP messages are untyped JSON. */
type Json = any;

export interface LaunchOptions {
  executablePath: string;
  /** Unpacked extension directory to load, if any. */
  extension?: string;
  timeoutMs?: number;
}

export class Chromium {
  private stderrTail = '';
  private exited = false;
  private readonly cdp: CdpClient;

  private constructor(
    private readonly proc: ChildProcess,
    private readonly userDataDir: string,
  ) {
    this.cdp = CdpClient.overPipe(proc.stdio[4] as Readable, proc.stdio[3] as Writable, { commandTimeoutMs: 60_000 });
    proc.stderr?.setEncoding('utf8');
    proc.stderr?.on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-4000);
    });
    proc.on('exit', () => {
      this.exited = true;
      this.cdp.failAll((method) => `chromium exited during ${method}\n${this.stderrTail}`);
    });
  }

  static async launch(options: LaunchOptions): Promise<Chromium> {
    const userDataDir = mkdtempSync(join(tmpdir(), 'sockscope-bench-profile-'));
    const args = [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--remote-debugging-pipe',
      `--user-data-dir=${userDataDir}`,
      '--no-first-run',
      '--no-default-browser-check',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-default-apps',
      // Every tab is visible in headless mode anyway; these make sure no tab's timers or
      // renderer priority get the background treatment mid-run.
      '--disable-background-timer-throttling',
      '--disable-renderer-backgrounding',
      '--disable-backgrounding-occluded-windows',
      ...(options.extension ? [`--disable-extensions-except=${options.extension}`, `--load-extension=${options.extension}`] : []),
      'about:blank',
    ];
    const proc = spawn(options.executablePath, args, { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
    const browser = new Chromium(proc, userDataDir);
    await new Promise<void>((resolve, reject) => {
      proc.once('spawn', resolve);
      proc.once('error', reject);
    });
    await browser.send('Browser.getVersion', {}, undefined, options.timeoutMs ?? 30_000);
    return browser;
  }

  async send(method: string, params: Params = {}, sessionId?: string, timeoutMs?: number): Promise<Json> {
    return this.running(method).send(method, params, { sessionId, timeoutMs });
  }

  async evaluate<T>(expression: string, sessionId: string, timeoutMs?: number): Promise<T> {
    return this.running('Runtime.evaluate').evaluate<T>(expression, { sessionId, timeoutMs });
  }

  /** Calls `handler` for every CDP event until the returned function is called. */
  onEvent(handler: EventHandler): () => void {
    return this.cdp.onEvent(handler);
  }

  waitForEvent(method: string, sessionId: string | undefined, timeoutMs = 30_000): Promise<Json> {
    return this.cdp.waitForEvent(method, sessionId, timeoutMs);
  }

  /**
   * CPU seconds used so far by each kind of browser process (every process it
   * started), from /proc: what the shim and the relay cost the machine,
   * wherever it runs. Extension pages and the extension's worker share the
   * `extension` renderer; pages get `renderer`s.
   */
  cpuSeconds(): Record<ProcessKind, number> {
    const root = this.proc.pid;
    const totals: Record<ProcessKind, number> = { browser: 0, renderer: 0, extension: 0, network: 0, other: 0 };
    if (root === undefined) return totals;
    const stats = new Map<number, { parent: number; ticks: number }>();
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        // Fields after the parenthesized command name: state ppid … utime(14) stime(15).
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        stats.set(Number(name), { parent: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) });
      } catch {
        // exited meanwhile
      }
    }
    for (const [pid, { ticks }] of stats) {
      let p: number | undefined = pid;
      while (p !== undefined && p > 1 && p !== root) p = stats.get(p)?.parent;
      if (p === root) totals[processKind(pid)] += ticks / CLOCK_TICKS_PER_SECOND;
    }
    return totals;
  }

  /**
   * Waits until the browser's processes together use less than a tenth of a
   * core over a second (at most `timeoutMs`). A new window makes Chromium load
   * its omnibox popup's WebUI, several hundred modules, for seconds: a
   * measurement started meanwhile shares the cores with it.
   */
  async settle(timeoutMs = 15_000): Promise<void> {
    const total = () => Object.values(this.cpuSeconds()).reduce((a, b) => a + b, 0);
    const deadline = Date.now() + timeoutMs;
    for (let before = total(); Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const now = total();
      if (now - before < 0.1) return;
      before = now;
    }
  }

  private running(method: string): CdpClient {
    if (this.exited) throw new Error(`chromium has exited (${method})\n${this.stderrTail}`);
    return this.cdp;
  }

  /** Closes the browser this object started (by its pid if it does not go), and deletes its profile. */
  async close(): Promise<void> {
    if (!this.exited) {
      const gone = new Promise<void>((resolve) => this.proc.once('exit', () => resolve()));
      this.send('Browser.close', {}, undefined, 5_000).catch(() => undefined);
      const timer = setTimeout(() => this.proc.kill('SIGKILL'), 5_000);
      await gone;
      clearTimeout(timer);
    }
    rmSync(this.userDataDir, { recursive: true, force: true });
  }
}

export type ProcessKind = 'browser' | 'renderer' | 'extension' | 'network' | 'other';

function processKind(pid: number): ProcessKind {
  let args: string;
  try {
    args = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return 'other';
  }
  if (!args.includes('--type=')) return 'browser';
  if (args.includes('--type=renderer')) return args.includes('--extension-process') ? 'extension' : 'renderer';
  return args.includes('NetworkService') ? 'network' : 'other';
}

/** One attached target (a tab, an extension page or the service worker) over a flat session. */
export class Target {
  constructor(
    readonly browser: Chromium,
    readonly targetId: string,
    readonly sessionId: string,
  ) {}

  static async attach(browser: Chromium, targetId: string): Promise<Target> {
    const { sessionId } = (await browser.send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string };
    return new Target(browser, targetId, sessionId);
  }

  /** Opens a tab; only Page is enabled on it (for load events). */
  static async openTab(browser: Chromium, url = 'about:blank'): Promise<Target> {
    // A window per tab: each is its window's active tab, hence visible and rendering,
    // and its window id names it for the extension too (see windowId).
    const { targetId } = (await browser.send('Target.createTarget', { url: 'about:blank', newWindow: true })) as { targetId: string };
    const tab = await Target.attach(browser, targetId);
    await tab.send('Page.enable');
    if (url !== 'about:blank') await tab.navigate(url);
    return tab;
  }

  send(method: string, params: Params = {}, timeoutMs?: number): Promise<Json> {
    return this.browser.send(method, params, this.sessionId, timeoutMs);
  }

  async navigate(url: string): Promise<void> {
    const loaded = this.browser.waitForEvent('Page.loadEventFired', this.sessionId);
    loaded.catch(() => undefined); // awaited below unless navigation fails first
    const { errorText } = (await this.send('Page.navigate', { url })) as { errorText?: string };
    if (errorText) throw new Error(`navigating to ${url}: ${errorText}`);
    await loaded;
  }

  /** The browser window holding this tab; the same number as the extension API's `windowId`. */
  async windowId(): Promise<number> {
    return ((await this.browser.send('Browser.getWindowForTarget', { targetId: this.targetId })) as { windowId: number }).windowId;
  }

  /** Evaluates an expression in the page's main world, awaiting a returned promise. */
  evaluate<T>(expression: string, timeoutMs?: number): Promise<T> {
    return this.browser.evaluate<T>(expression, this.sessionId, timeoutMs);
  }

  /**
   * Starts the Performance domain with task durations in thread ticks: CPU time
   * of the renderer main thread, not wall time, so another process preempting
   * it (2 shared cores) does not count as work.
   */
  async enableMetrics(): Promise<void> {
    await this.send('Performance.enable', { timeDomain: 'threadTicks' });
  }

  /** CPU seconds the renderer main thread has spent in tasks so far (after enableMetrics). */
  async taskDuration(): Promise<number> {
    const { metrics } = (await this.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
    const metric = metrics.find((m) => m.name === 'TaskDuration');
    if (!metric) throw new Error('no TaskDuration metric');
    return metric.value;
  }

  async close(): Promise<void> {
    await this.browser.send('Target.closeTarget', { targetId: this.targetId });
  }
}
