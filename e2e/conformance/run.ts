// Runs scenarios in one browser, in several configurations, each on a page of
// its own origin (see server.ts):
//
//   native      a page the extension's content scripts skip: the browser's own WebSocket;
//   standalone  the same, with dist/shim.js evaluated before the page's scripts,
//               and a shaping rule of zero delays on every socket (SHAPED_INIT):
//               shaping that holds nothing must not be observable;
//   extension   a page the loaded extension instruments (MAIN-world shim and
//               bridge), where no rule applies: the shim unshaped;
//   delayed     dist/shim.js with a rule that delays every socket both ways and
//               slows its consumer (DELAYED_INIT): its traces keep the standard's
//               invariants and native's content (see invariants.ts), not its timing;
//   overStream  dist/shim.js with classic sockets carried over a native
//               WebSocketStream (OVER_STREAM_INIT; Chromium only);
//   dedicatedNative, dedicatedShim, sharedNative, sharedShim
//               a worker of the native page, without and with dist/shim.js and
//               SHAPED_INIT, for the scenarios a worker can run (see workers.ts).
//
// Every scenario runs in a freshly loaded document in each configuration
// (scenarios replace and freeze globals), and its trace is returned per
// configuration for the test to compare with native's.
import { INSTRUMENTATION_PROBE, type Instrumentation } from '../lib/instrumentation-probe';
import { installTools, type BrowserName, type Config, type Env, type TraceEntry } from './page-tools';
import type { Scenario } from './scenario';
import { HOSTS, type ConformanceServer } from './server';
import { inWorker, WORKER_CONFIG_NAMES, WORKER_CONFIGS, WORKER_PROBE, type WorkerConfig, type WorkerReply } from './workers';

export const CONFIGS: Config[] = ['native', 'standalone', 'extension', 'delayed', 'overStream'];
/** Hosts the extension copy under test must skip. */
export const UNINSTRUMENTED_HOSTS = [HOSTS.native, HOSTS.standalone, HOSTS.delayed, HOSTS.overStream];
/** Evaluated after dist/shim.js on the standalone configuration's page. */
export const SHAPED_INIT = "sockscope.shape({ match: 'ws', up: {}, down: {}, consumer: {} });";
/**
 * Evaluated after dist/shim.js on the delayed configuration's page: every message waits 10–40 ms
 * each way (latency 25 ms, jitter ±15 ms), crosses a bandwidth limit (down 4 MiB/s: the suite's
 * 64 KiB bursts and 10 MB echo queue behind it; up 64 MiB/s, so its 200 MB of sends take seconds,
 * not minutes), and reaches a page that takes 300 messages a second.
 */
export const DELAYED_INIT =
  "sockscope.shape({ match: 'ws', up: { latencyMs: 25, jitterMs: 15, bytesPerSecond: 64 * 1024 * 1024 }, " +
  "down: { latencyMs: 25, jitterMs: 15, bytesPerSecond: 4 * 1024 * 1024 }, consumer: { messagesPerSecond: 300 } });";
/** Evaluated before dist/shim.js on the overStream configuration's page. */
export const OVER_STREAM_INIT = 'globalThis.sockscopeOptions = { classicOverStream: true };';

/** The little a runner needs of a Playwright or puppeteer page. */
export interface ScenarioPage {
  /** Makes this the visible tab: background tabs get throttled timers (Firefox: 1 s at least). */
  activate(): Promise<void>;
  goto(url: string): Promise<void>;
  /** Evaluates an expression, awaiting a promise it yields; the value must be JSON. */
  evaluate<T>(expression: string): Promise<T>;
}

export type Traces = Record<Config | WorkerConfig, TraceEntry[]>;

export class ConformanceRunner {
  /**
   * `pages`: one per configuration this runner traces in. `messages`: which
   * error messages traces hold (see installTools); by default all in
   * Chromium, whose messages a wrapper can match, none in Firefox.
   */
  constructor(
    private readonly browser: BrowserName,
    private readonly server: ConformanceServer,
    private readonly pages: Partial<Record<Config, ScenarioPage>>,
    private readonly messages: boolean | readonly string[] = browser === 'chromium',
  ) {}

  /** Traces run in workers so far: each shared worker's name is new. */
  private workerRuns = 0;

  /** Fails unless each configuration's page is instrumented as it should be. */
  async checkInstrumentation(): Promise<void> {
    for (const config of CONFIGS) {
      const page = this.pages[config];
      if (!page) continue;
      await page.goto(this.url(config, 'probe'));
      const probe = await page.evaluate<Instrumentation>(INSTRUMENTATION_PROBE);
      const expected = { extension: config === 'extension', standalone: config !== 'native' && config !== 'extension' };
      if (probe.extension !== expected.extension || probe.standalone !== expected.standalone) {
        throw new Error(`${this.browser} ${config} page: instrumentation is ${JSON.stringify(probe)}, expected ${JSON.stringify(expected)}`);
      }
    }
  }

  /** Fails unless each worker configuration's worker has the shim as it should, and the shim captures its socket. */
  async checkWorkers(): Promise<void> {
    await this.page('native').goto(this.url('native', WORKER_PROBE.name));
    for (const config of WORKER_CONFIG_NAMES) {
      const { captured } = await this.inWorker(config, WORKER_PROBE);
      const expected = WORKER_CONFIGS[config].shim ? 1 : null;
      if (captured !== expected) throw new Error(`${this.browser} ${config}: the shim captured ${captured} sockets, expected ${expected}`);
    }
  }

  /**
   * The scenario's trace in every configuration this runner has a page for, and with `inWorkers`
   * in every worker configuration too.
   */
  async run(scenario: Scenario, { inWorkers = false } = {}): Promise<Partial<Traces>> {
    const configs = CONFIGS.filter((config) => this.pages[config]);
    // Loading a document is most of a trace's time and runs nothing of the scenario: every
    // configuration's loads at once, then the scenario runs in each in turn, alone.
    await Promise.all(configs.map((config) => this.page(config).goto(this.url(config, scenario.name, scenario.isolated))));
    const traces: Partial<Traces> = {};
    // The workers first, while the native page's document is as loaded: its own scenario may patch built-ins.
    if (inWorkers) for (const config of WORKER_CONFIG_NAMES) traces[config] = (await this.inWorker(config, scenario)).trace;
    for (const config of configs) traces[config] = await this.trace(config, scenario);
    return traces;
  }

  /**
   * Runs the scenario in a new worker of the native page, and fails unless the worker had the shim
   * exactly when its configuration says so.
   */
  async inWorker(config: WorkerConfig, scenario: Scenario): Promise<Exclude<WorkerReply, { error: string }>> {
    const page = this.page('native');
    await page.activate();
    const env: Env = { ws: this.server.socketOrigin, http: this.server.pageOrigin(HOSTS.native), config, browser: this.browser };
    const { shim } = WORKER_CONFIGS[config];
    const request = { shim, init: shim ? SHAPED_INIT : '', expression: this.expression(env, scenario) };
    const reply = await page.evaluate<WorkerReply>(inWorker(config, `${config} ${this.workerRuns++}`, request));
    if ('error' in reply) throw new Error(`${this.browser} ${config}: the worker failed: ${reply.error}`);
    if ((reply.captured !== null) !== shim) throw new Error(`${this.browser} ${config}: the worker ${shim ? 'lacks' : 'has'} the shim`);
    return reply;
  }

  private page(config: Config): ScenarioPage {
    const page = this.pages[config];
    if (!page) throw new Error(`no ${config} page in ${this.browser}`);
    return page;
  }

  private url(config: Config, name: string, isolated = false): string {
    return `${this.server.pageOrigin(HOSTS[config])}/page.html?scenario=${encodeURIComponent(name)}${isolated ? '&isolated' : ''}`;
  }

  /** Runs the scenario in the document `run` loaded for it. */
  private async trace(config: Config, scenario: Scenario): Promise<TraceEntry[]> {
    const page = this.page(config);
    await page.activate();
    const env: Env = { ws: this.server.socketOrigin, http: this.server.pageOrigin(HOSTS[config]), config, browser: this.browser };
    return page.evaluate<TraceEntry[]>(this.expression(env, scenario));
  }

  /** The scenario as an expression for its page or worker, yielding its trace. */
  private expression(env: Env, scenario: Scenario): string {
    return `(async () => {
      (${installTools.toString()})(${JSON.stringify(this.messages)});
      const { tools, trace } = globalThis.__conformance;
      try {
        await (${scenario.run.toString()})(tools, ${JSON.stringify(env)}, ${JSON.stringify(scenario.arg ?? null)});
      } catch (error) {
        tools.log('scenario threw', error);
      }
      return trace;
    })()`;
  }
}
