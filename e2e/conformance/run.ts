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
// (scenarios replace and freeze globals), in all configurations at once (each
// page is alone in its renderer; traces depend on no timing another page can
// change, the suite's repeated runs say so), and its trace is returned per
// configuration for the test to compare with native's.
import { INSTRUMENTATION_PROBE, type Instrumentation } from '../lib/instrumentation-probe';
import { installTools, type BrowserName, type Config, type Env, type TraceEntry } from './page-tools';
import type { Scenario } from './scenario';
import type { ScenarioPage, ScenarioTabs } from './scenario-tabs';
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

export type Traces = Record<Config | WorkerConfig, TraceEntry[]>;

export class ConformanceRunner {
  /**
   * `tabs`: a pair per configuration this runner traces in. `messages`: which
   * error messages traces hold (see installTools); by default all in
   * Chromium, whose messages a wrapper can match, none in Firefox.
   */
  constructor(
    private readonly browser: BrowserName,
    private readonly server: ConformanceServer,
    private readonly tabs: Partial<Record<Config, ScenarioTabs>>,
    private readonly messages: boolean | readonly string[] = browser === 'chromium',
  ) {}

  /** Traces run in workers so far: each shared worker's name is new. */
  private workerRuns = 0;

  /** Fails unless each configuration's tabs are visible and instrumented as they should be. */
  async checkInstrumentation(): Promise<void> {
    for (const config of CONFIGS) {
      for (const page of this.tabs[config]?.pages ?? []) {
        await page.goto(this.url(config, { name: 'probe' }));
        const probe = await page.evaluate<Instrumentation>(INSTRUMENTATION_PROBE);
        const expected = { extension: config === 'extension', standalone: config !== 'native' && config !== 'extension' };
        if (probe.extension !== expected.extension || probe.standalone !== expected.standalone) {
          throw new Error(`${this.browser} ${config} page: instrumentation is ${JSON.stringify(probe)}, expected ${JSON.stringify(expected)}`);
        }
        const visibility = await page.evaluate<string>('document.visibilityState');
        if (visibility !== 'visible') throw new Error(`${this.browser} ${config} page is ${visibility}: its timers would be throttled`);
      }
    }
  }

  /** Fails unless each worker configuration's worker has the shim as it should, and the shim captures its socket. */
  async checkWorkers(): Promise<void> {
    const page = await this.tabsOf('native').open(this.url('native', WORKER_PROBE));
    for (const config of WORKER_CONFIG_NAMES) {
      const { captured } = await this.inWorker(config, WORKER_PROBE, page);
      const expected = WORKER_CONFIGS[config].shim ? 1 : null;
      if (captured !== expected) throw new Error(`${this.browser} ${config}: the shim captured ${captured} sockets, expected ${expected}`);
    }
  }

  /**
   * The scenario's trace in every configuration this runner has tabs for, and with `inWorkers`
   * in every worker configuration too. `next`: the scenario to load documents for meanwhile.
   */
  async run(scenario: Scenario, { inWorkers = false, next }: { inWorkers?: boolean; next?: Scenario } = {}): Promise<Partial<Traces>> {
    const configs = CONFIGS.filter((config) => this.tabs[config]);
    const pages = await Promise.all(configs.map((config) => this.tabsOf(config).open(this.url(config, scenario))));
    if (next) for (const config of configs) this.tabsOf(config).preload(this.url(config, next));
    const traces: Partial<Traces> = {};
    await Promise.all(
      configs.map(async (config, i) => {
        // The workers first, while the native page's document is as loaded: its own scenario may patch built-ins.
        if (config === 'native' && inWorkers) {
          await Promise.all(WORKER_CONFIG_NAMES.map(async (worker) => (traces[worker] = (await this.inWorker(worker, scenario, pages[i])).trace)));
        }
        traces[config] = await this.trace(config, scenario, pages[i]);
      }),
    );
    return traces;
  }

  /**
   * Runs the scenario in a new worker of `page`, the native configuration's, and fails unless the
   * worker had the shim exactly when its configuration says so.
   */
  private async inWorker(config: WorkerConfig, scenario: Scenario, page: ScenarioPage): Promise<Exclude<WorkerReply, { error: string }>> {
    const env: Env = { ws: this.server.socketOrigin, http: this.server.pageOrigin(HOSTS.native), config, browser: this.browser };
    const { shim } = WORKER_CONFIGS[config];
    const request = { shim, init: shim ? SHAPED_INIT : '', expression: this.expression(env, scenario) };
    const reply = await page.evaluate<WorkerReply>(inWorker(config, `${config} ${this.workerRuns++}`, request));
    if ('error' in reply) throw new Error(`${this.browser} ${config}: the worker failed: ${reply.error}`);
    if ((reply.captured !== null) !== shim) throw new Error(`${this.browser} ${config}: the worker ${shim ? 'lacks' : 'has'} the shim`);
    return reply;
  }

  private tabsOf(config: Config): ScenarioTabs {
    const tabs = this.tabs[config];
    if (!tabs) throw new Error(`no ${config} tabs in ${this.browser}`);
    return tabs;
  }

  private url(config: Config, { name, isolated = false }: Pick<Scenario, 'name' | 'isolated'>): string {
    return `${this.server.pageOrigin(HOSTS[config])}/page.html?scenario=${encodeURIComponent(name)}${isolated ? '&isolated' : ''}`;
  }

  /** Runs the scenario in `page`, the document `run` loaded for it. */
  private async trace(config: Config, scenario: Scenario, page: ScenarioPage): Promise<TraceEntry[]> {
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
