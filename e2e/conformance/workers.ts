// The worker configurations: the scenarios that a worker can run, run in a
// dedicated and in a shared worker, each without and with dist/shim.js
// loaded first. The native configuration's page starts the worker (before
// its own scenario runs, so that its document is fresh), sends it the same
// expression a page evaluates (see ConformanceRunner), and awaits its trace.
//
//   dedicatedNative  new Worker('/scenario-worker.js?kind=dedicated'): the browser's own WebSocket;
//   dedicatedShim    the same, with dist/shim.js (importScripts) and the standalone
//                    configuration's zero-delay shaping rule (SHAPED_INIT) before the scenario;
//   sharedNative     new SharedWorker('/scenario-worker.js?kind=shared', { name }): a fresh one per trace;
//   sharedShim       the same, with dist/shim.js and SHAPED_INIT.
import { scenario, type Scenario } from './scenario';
import { eventScenarios } from './scenarios/events';
import { sendCloseScenarios } from './scenarios/send-close';
import { shapeScenarios } from './scenarios/shape';
import { stateScenarios } from './scenarios/state';

export type WorkerKind = 'dedicated' | 'shared';
export type WorkerConfig = `${WorkerKind}${'Native' | 'Shim'}`;

export const WORKER_CONFIGS: Record<WorkerConfig, { kind: WorkerKind; shim: boolean }> = {
  dedicatedNative: { kind: 'dedicated', shim: false },
  dedicatedShim: { kind: 'dedicated', shim: true },
  sharedNative: { kind: 'shared', shim: false },
  sharedShim: { kind: 'shared', shim: true },
};

export const WORKER_CONFIG_NAMES = Object.keys(WORKER_CONFIGS) as WorkerConfig[];

/** Opens one socket, so that a shimmed worker's shim has one to capture. */
export const WORKER_PROBE = scenario('worker probe: one socket', async (t, env) => {
  const ws = new WebSocket(`${env.ws}/echo`);
  await t.next(ws, 'open');
  ws.close();
  await t.closed(ws);
});

/**
 * What a scenario's worker answers: its trace, and how many sockets the shim
 * captured there (null without the shim, so that a configuration that lost
 * its shim, or gained one, fails); or why it could not run the scenario (the
 * shim failed to load, say), rather than leave the page waiting.
 */
export type WorkerReply = { trace: { label: string; value: unknown }[]; captured: number | null } | { error: string };

/**
 * Which scenarios run in workers, by file, to keep CI time modest (each adds
 * four traces): those about a socket's life and interface, whose events,
 * state and tasks a worker's event loop runs (state, send-close, events,
 * shape). Not constructor.ts (argument conversion and URL parsing, the same
 * code in any realm), robustness.ts (66 cases of patched built-ins),
 * hostile.ts (buffers of megabytes and collections, seconds each), nor the
 * WebSocketStream ones (Chromium's alone). Of those files, not the scenarios
 * whose text (code or argument) names
 * - `window` or `document`: a worker has neither;
 * - an endpoint whose handshake fails (/status, /bad-accept, a refused port):
 *   Firefox delays a connection to a host whose connections just failed, longer
 *   at each failure in a row; four more failing traces per scenario stacked
 *   those delays past the scenarios' 5 s waits for close, in pages and workers;
 * and none that runs cross-origin isolated (the worker's script would need the
 * isolation headers too).
 */
const IN_WORKER_FILES = new Set<Scenario>([...stateScenarios, ...sendCloseScenarios, ...eventScenarios, ...shapeScenarios]);
const NOT_IN_WORKERS = /\b(window|document)\b|\/status\?|\/bad-accept|@refused/;

export const runsInWorkers = (scenario: Scenario): boolean =>
  IN_WORKER_FILES.has(scenario) && !scenario.isolated && !NOT_IN_WORKERS.test(`${scenario.run.toString()} ${JSON.stringify(scenario.arg ?? null)}`);

/**
 * What the page sends its worker: whether to load /shim.js (with code to run
 * after it: a shaping rule), then the scenario's expression. The shim is asked
 * for here, not in the worker's URL: a scenario sees that URL (a relative
 * socket URL resolves against it), which must be the same with and without.
 */
export interface WorkerRequest {
  shim: boolean;
  init: string;
  expression: string;
}

/**
 * /scenario-worker.js?kind=K: loads /shim.js if asked, before the scenario's
 * first line, evaluates the WorkerRequest it is sent and posts back a
 * WorkerReply. It keeps the built-ins it uses before any scenario can patch them.
 */
export function scenarioWorkerScript(kind: WorkerKind): string {
  return `
const apply = Reflect.apply;
const evaluate = eval;
const load = self.importScripts;
const portPost = MessagePort.prototype.postMessage;
const workerPost = self.postMessage;
const closeSelf = self.close;
const answer = async ({ shim, init, expression }) => {
  try {
    if (shim) load('/shim.js');
    evaluate(init);
    const sockets = self.sockscope ? self.sockscope.sockets : null;
    const trace = await evaluate(expression);
    return { trace, captured: sockets ? sockets().length : null };
  } catch (error) {
    return { error: String(error) };
  }
};
${
  kind === 'shared'
    ? `self.onconnect = (event) => {
  const port = event.ports[0];
  port.onmessage = async (message) => {
    apply(portPost, port, [await answer(message.data)]);
    closeSelf();
  };
};`
    : 'self.onmessage = async (message) => apply(workerPost, self, [await answer(message.data)]);'
}
`;
}

/**
 * An expression for the page: runs `request` in a new worker of this
 * configuration and yields its WorkerReply. The page ignores other messages
 * (a shim's own, if the page had one); a shared worker is given a name never
 * used before, so that it is a new one.
 */
export function inWorker(config: WorkerConfig, name: string, request: WorkerRequest): string {
  const url = `/scenario-worker.js?kind=${WORKER_CONFIGS[config].kind}`;
  return `(async () => {
    const shared = ${WORKER_CONFIGS[config].kind === 'shared'};
    const worker = shared ? new SharedWorker(${JSON.stringify(url)}, { name: ${JSON.stringify(name)} }) : new Worker(${JSON.stringify(url)});
    const port = shared ? worker.port : worker;
    const reply = await new Promise((resolve, reject) => {
      port.onmessage = (event) => event.data && (Array.isArray(event.data.trace) || typeof event.data.error === 'string') && resolve(event.data);
      worker.onerror = (event) => reject(new Error('the worker failed: ' + (event.message ?? 'no message')));
      port.postMessage(${JSON.stringify(request)});
    });
    if (!shared) worker.terminate();
    return reply;
  })()`;
}
