// "Capture workers" on: the sockets of a page's dedicated (classic and
// module), nested and shared workers show in the panel, each marked with its
// worker's kind, with its messages; none is listed as not instrumented.
import { expect } from 'vitest';
import type { DemoServer } from '../demo/server';
import type { Evaluator } from './devtools';
import { attributeOf, click, exported, rowTexts, selectSocket, waitForMessages } from './panel';
import { addRule, heldMessages } from './shaping-panel';
import { compose } from './talk-back-scenario';
import { echoUrl } from './traffic';
import { waitFor } from './wait';

/** Each worker the page starts, by the script and options that start it, and the kind (and the API, if not WebSocket) its socket shows. */
const WORKERS = {
  classic: { start: (ws: string) => `new Worker('/socket-worker.js?ws=' + encodeURIComponent(${ws}))`, kind: 'dedicated' },
  module: { start: (ws: string) => `new Worker('/socket-module-worker.js?ws=' + encodeURIComponent(${ws}), { type: 'module' })`, kind: 'dedicated' },
  nested: { start: (ws: string) => `new Worker('/socket-nested-worker.js?ws=' + encodeURIComponent(${ws}))`, kind: 'dedicated' },
  // Its socket a WebSocketStream (Chromium's workers have one).
  stream: { start: (ws: string) => `new Worker('/socket-stream-worker.js?ws=' + encodeURIComponent(${ws}))`, kind: 'dedicated', api: 'WebSocketStream' },
  shared: { start: (ws: string) => `new SharedWorker('/socket-shared-worker.js?ws=' + encodeURIComponent(${ws})).port.start()`, kind: 'shared' },
  // Registered for the page's origin: the test unregisters it (see unregisterServiceWorkers).
  service: { start: (ws: string) => `navigator.serviceWorker.register('/socket-service-worker.js?ws=' + encodeURIComponent(${ws}))`, kind: 'service' },
  // From a blob: URL the page revokes at once (the worker has its script by then), and from a data: URL.
  blob: {
    start: (ws: string) => `(() => {
      const url = URL.createObjectURL(new Blob([${inlineWorker(ws)}], { type: 'text/javascript' }));
      new Worker(url);
      URL.revokeObjectURL(url);
    })()`,
    kind: 'dedicated',
  },
  data: { start: (ws: string) => `new Worker('data:text/javascript,' + encodeURIComponent(${inlineWorker(ws)}))`, kind: 'dedicated' },
} as const;

/** A worker's script, as page code builds it: opens a socket to `ws` (an expression) and sends one message. */
function inlineWorker(ws: string): string {
  return `'const ws = new WebSocket(' + JSON.stringify(${ws}) + '); ws.onopen = () => ws.send("from the worker");'`;
}

export type WorkerName = keyof typeof WORKERS;

const checked = (panel: Evaluator) => panel.evaluate<boolean | null>(`document.querySelector('[data-testid=capture-workers]')?.checked ?? null`);

/**
 * Sets "Capture workers" for the page's origin and reloads the page, from
 * which it applies. The setting outlives the test in the browser's profile:
 * a test that turns it on turns it off again.
 */
export async function setCaptureWorkers(panel: Evaluator, on: boolean, reload: () => Promise<unknown>): Promise<void> {
  await waitFor('the Capture workers switch', async () => (await checked(panel)) !== null);
  if ((await checked(panel)) !== on) await click(panel, 'capture-workers');
  await waitFor(`Capture workers ${on ? 'on' : 'off'}`, async () => (await checked(panel)) === on);
  await reload();
}

/** Service workers outlive their page in the browser's profile, which the tests share: each test that registers one unregisters it. */
export const unregisterServiceWorkers = (page: Evaluator): Promise<unknown> =>
  page.evaluate(`navigator.serviceWorker.getRegistrations().then((all) => Promise.all(all.map((registration) => registration.unregister())))`);

/** The panel's "Not instrumented" rows. */
export const uninstrumentedRows = (panel: Evaluator) =>
  panel.evaluate<string[]>(`Array.from(document.querySelectorAll('[data-testid=uninstrumented-row]'), (row) => row.textContent)`);

/** The rows of the panel's "Workers Sockscope does not see". */
export const unseenWorkerRows = (panel: Evaluator) =>
  panel.evaluate<string[]>(`Array.from(document.querySelectorAll('[data-testid=unseen-worker-row]'), (row) => row.textContent)`);

/** How a worker's row names it: by its script URL, which holds the run's greeting; a blob: worker's, by its scheme. */
const unseenRowOf = (run: string, name: WorkerName) => (row: string) =>
  row.startsWith(`${WORKERS[name].kind} worker`) && (name === 'blob' ? row.includes('blob:') : row.includes(`${run}-${name}`));

/**
 * Starts the workers: those `unseen` are listed under "Workers Sockscope does
 * not see", with kind and script URL; those `seen` (their sockets show, captured) are not.
 */
export async function workersUnseen(page: Evaluator, panel: Evaluator, server: DemoServer, run: string, unseen: WorkerName[], seen: WorkerName[]): Promise<void> {
  // The seen ones under a run of their own: workerSocketsShown checks that no socket of its run is uninstrumented.
  const seenRun = `${run}-seen`;
  await page.evaluate(`(() => {
    ${unseen.map((name) => WORKERS[name].start(JSON.stringify(echoUrl(server, `${run}-${name}`)))).join(';\n')};
    ${seen.map((name) => WORKERS[name].start(JSON.stringify(echoUrl(server, `${seenRun}-${name}`)))).join(';\n')};
  })()`);
  if (seen.length > 0) await workerSocketsShown(panel, seenRun, seen);
  await waitFor(
    `${unseen.join(', ')} listed as workers Sockscope does not see${seen.length > 0 ? `, and not ${seen.join(', ')}` : ''}`,
    async () => {
      const rows = await unseenWorkerRows(panel);
      return unseen.every((name) => rows.some(unseenRowOf(run, name))) && !seen.some((name) => rows.some(unseenRowOf(seenRun, name)));
    },
    { timeoutMs: 15_000 },
  );
}

export async function workerSocketsCaptured(page: Evaluator, panel: Evaluator, server: DemoServer, run: string, names: WorkerName[]): Promise<void> {
  await page.evaluate(`(() => {
    ${names.map((name) => WORKERS[name].start(JSON.stringify(echoUrl(server, `${run}-${name}`)))).join(';\n')};
  })()`);
  await workerSocketsShown(panel, run, names);
}

/** Each worker's socket in the panel, marked with its kind, with its messages; none listed as not instrumented. */
export async function workerSocketsShown(panel: Evaluator, run: string, names: WorkerName[]): Promise<void> {
  for (const name of names) {
    const greeting = `${run}-${name}`;
    const shown = encodeURIComponent(greeting);
    // What the panel showed instead tells a worker run uncaptured (its socket "not instrumented", the worker
    // "not seen") from one captured but not shown.
    let seen: string[] = [];
    await waitFor(
      () => `the ${name} worker's socket, marked ${WORKERS[name].kind} worker (the panel showed: ${JSON.stringify(seen)})`,
      async () => {
        const rows = await rowTexts(panel, 'socket-row');
        seen = [...rows, ...(await uninstrumentedRows(panel)), ...(await unseenWorkerRows(panel))];
        const worker: { kind: string; api?: string } = WORKERS[name];
        return rows.some((row) => row.includes(shown) && row.includes(`${worker.kind} worker`) && row.includes(worker.api ?? 'WebSocket'));
      },
      { timeoutMs: 15_000 },
    );
    await selectSocket(panel, shown);
    await waitForMessages(panel, { [greeting]: 1, 'from the worker': 2 });
  }
  expect((await uninstrumentedRows(panel)).filter((row) => row.includes(run))).toEqual([]);
}

/** Starts a classic worker, as workerSocketsCaptured does, and waits until its message came back. */
export const workerSocketOpened = (page: Evaluator, server: DemoServer, run: string): Promise<unknown> =>
  page.evaluate(`new Promise((resolve) => { ${WORKERS.classic.start(JSON.stringify(echoUrl(server, `${run}-classic`)))}.onmessage = resolve; })`);

/** Starts the workers; each one's socket is listed as not instrumented, from its handshake, and none as a worker's. */
export async function workerSocketsNotCaptured(page: Evaluator, panel: Evaluator, server: DemoServer, run: string, names: WorkerName[]): Promise<void> {
  await page.evaluate(`(() => {
    ${names.map((name) => WORKERS[name].start(JSON.stringify(echoUrl(server, `${run}-${name}`)))).join(';\n')};
  })()`);
  const shown = names.map((name) => encodeURIComponent(`${run}-${name}`));
  await waitFor('the workers\' sockets, listed as not instrumented', async () => {
    const rows = await uninstrumentedRows(panel);
    return shown.every((greeting) => rows.some((row) => row.includes(greeting)));
  });
  expect((await rowTexts(panel, 'socket-row')).filter((row) => shown.some((greeting) => row.includes(greeting)))).toEqual([]);
}

/**
 * A SharedWorker or a service worker two tabs use: its socket shows once in
 * each tab's panel, as one socket, so that a rule set for it in one panel
 * (here: drop it) is seen in the other.
 */
export async function workerInTwoTabs(
  name: 'shared' | 'service',
  first: Evaluator,
  firstPanel: Evaluator,
  second: Evaluator,
  secondPanel: Evaluator,
  server: DemoServer,
  run: string,
): Promise<void> {
  const greeting = `${run}-${name}-twice`;
  const start = WORKERS[name].start(JSON.stringify(echoUrl(server, greeting)));
  const shown = encodeURIComponent(greeting);
  const rowsIn = async (panel: Evaluator) => (await rowTexts(panel, 'socket-row')).filter((row) => row.includes(shown));
  await first.evaluate(start);
  await waitFor('the shared worker socket in the first panel', async () => (await rowsIn(firstPanel)).length === 1);
  await second.evaluate(start);
  await waitFor('the shared worker socket in the second panel', async () => (await rowsIn(secondPanel)).length === 1, { timeoutMs: 15_000 });
  await selectSocket(secondPanel, shown);
  await waitForMessages(secondPanel, { [greeting]: 1, 'from the worker': 2 });
  expect(await rowsIn(firstPanel)).toHaveLength(1);
  expect((await rowsIn(secondPanel))[0]).toContain(`${WORKERS[name].kind} worker`);

  await selectSocket(firstPanel, shown);
  expect(await addRule(firstPanel, { scope: 'socket', offline: 'drop' })).toBeNull();
  await waitFor('the socket dropped, as the second panel shows it', async () => (await rowsIn(secondPanel))[0]?.includes('1006') ?? false);
  expect(await rowsIn(secondPanel)).toHaveLength(1);
}

/** A worker script a site lets the browser cache is captured on every load, not only on the first. */
export async function cacheableWorkerCapturedAgain(page: Evaluator, panel: Evaluator, navigate: () => Promise<unknown>, server: DemoServer, run: string): Promise<void> {
  const greeting = `${run}-cacheable`;
  const start = `new Worker('/socket-worker.js?cacheable&ws=' + encodeURIComponent(${JSON.stringify(echoUrl(server, greeting))}))`;
  const captured = () =>
    waitFor('the cacheable worker\'s socket, captured', async () =>
      (await rowTexts(panel, 'socket-row')).some((row) => row.includes(encodeURIComponent(greeting)) && row.includes('dedicated worker')),
    );
  await page.evaluate(start);
  await captured();
  // A new load, not a reload (which asks the server again for what is cached).
  await navigate();
  // A service worker's sockets stay: the worker still serves the page.
  await waitFor('the log emptied by the navigation', async () => (await rowTexts(panel, 'socket-row')).every((row) => row.includes('service worker')));
  await page.evaluate(start);
  await captured();
}

/** The composer sends on a worker's socket as the worker would: the server echoes it. */
export async function composerSendsFromWorker(panel: Evaluator, run: string, name: WorkerName): Promise<void> {
  await selectSocket(panel, encodeURIComponent(`${run}-${name}`));
  await compose(panel, `composed-${run}`, 'text', 'send');
  await waitForMessages(panel, { [`composed-${run}`]: 2 });
}

/**
 * The consumer controls and the HAR export work on a worker's socket as on a
 * page's: paused from the panel, the worker's echo is held (the worker does not
 * get it) until stepped; the export holds the worker socket's messages.
 */
export async function workerSocketShapedAndExported(page: Evaluator, panel: Evaluator, server: DemoServer, run: string): Promise<void> {
  const greeting = `${run}-classic`;
  const shown = encodeURIComponent(greeting);
  // The page counts the echoes its worker reports (socket-worker.js reports each echo of 'from the worker').
  const echoes = `echoes-${run}`;
  await page.evaluate(`(() => {
    globalThis[${JSON.stringify(echoes)}] = 0;
    ${WORKERS.classic.start(JSON.stringify(echoUrl(server, greeting)))}.onmessage = () => globalThis[${JSON.stringify(echoes)}]++;
  })()`);
  const echoed = () => page.evaluate<number>(`globalThis[${JSON.stringify(echoes)}]`);
  await workerSocketsShown(panel, run, ['classic']);
  await waitFor('the worker told of its echo', async () => (await echoed()) === 1);

  await click(panel, 'view-shaping');
  await click(panel, 'consumer-pause');
  await waitFor('the consumer shown paused', async () => (await attributeOf(panel, 'consumer-state', 'data-state')) === 'paused');
  await click(panel, 'view-messages');
  await compose(panel, 'from the worker', 'text', 'send');
  await click(panel, 'view-shaping');
  await waitFor('the echo held for the worker', async () => (await heldMessages(panel, 'consumer')) === 1);
  expect(await echoed(), 'the worker has not got the held echo').toBe(1);
  await click(panel, 'consumer-step');
  await waitFor('the echo delivered to the worker', async () => (await echoed()) === 2);
  await waitFor('nothing held', async () => (await heldMessages(panel, 'consumer')) === 0);
  await click(panel, 'consumer-pause'); // now "Resume"

  const har = JSON.parse(await exported(panel, 'export-har')) as { log: { entries: { request: { url: string }; _webSocketMessages: { type: string; data: string }[] }[] } };
  const entry = har.log.entries.find((candidate) => candidate.request.url.includes(shown));
  // In arrival order, which interleaves the echoes with the sends: compared as a set.
  expect(entry?._webSocketMessages.map(({ type, data }) => `${type} ${data}`).sort()).toEqual(
    [`receive ${greeting}`, 'send from the worker', 'receive from the worker', 'send from the worker', 'receive from the worker'].sort(),
  );
}
