// Chromium only: runs a script in a tab's workers before their own first
// script, through chrome.debugger (Firefox has no such API: there every
// function here rejects or answers false).
//
// The sequence, per worker the tab starts while capture is on:
//   tab:    Target.setAutoAttach { autoAttach, waitForDebuggerOnStart, flatten }
//   worker: Target.attachedToTarget { waitingForDebugger: true } arrives: the
//           worker runs nothing until every client lets it go. Then, sent in
//           this order without waiting for answers in between:
//           Runtime.addBinding (a service worker: its way out, see
//             service-worker-realms.ts, which connects to it once it runs)
//           Runtime.evaluate the source
//           Target.setAutoAttach (the same, for the workers it starts)
//           Runtime.runIfWaitingForDebugger
// The worker handles its session's commands in order once it has a global
// scope and before its own first script (for a module worker, before the first
// module of its graph evaluates): the source runs first, as a script of its
// own, with the worker's URL and the line numbers of its scripts as they were.
// Awaiting the evaluation before letting the worker run deadlocks: it answers
// nothing until then. No Debugger domain is involved, so DevTools open on the
// tab sees no pause (an instrumentation breakpoint would pause it too, and
// bring its Sources panel to the front for every new worker).
//
// A target detached while it waits for the debugger never runs (a service
// worker stuck so also blocks every later registration of its scope), so
// stopping first stops holding new workers, lets go of those held, and only
// then detaches. Dismissing Chrome's debugging bar detaches at once: a worker
// starting at that very moment may stay stuck; nothing here can prevent it.
//
// MV3 stops an idle service worker, but not while a chrome.debugger session
// is attached (Chrome 118+; seen: idle for 50 s, still the same worker), so
// `tabs` lives as long as the attachment. The attachment outlives a worker
// stopped anyway (a crash, DevTools' "stop"), and the tab's next event wakes
// a fresh one that knows no source: it lets the new worker run untouched and
// stops capture in that tab, as capturingWorkers then says; the caller starts
// it again.

import { addBinding, connectServiceWorker, onBindingCalled, serviceWorkerGone, tabServiceWorkersGone } from './service-worker-realms';

interface Debuggee {
  tabId: number;
  /** A child target (a worker, a frame) reached through the tab's flat session. */
  sessionId?: string;
}

interface ChromeDebugger {
  attach(target: Debuggee, version: string): Promise<void>;
  detach(target: Debuggee): Promise<void>;
  sendCommand(target: Debuggee, method: string, params?: object): Promise<unknown>;
  onEvent: { addListener(listener: (source: Debuggee, method: string, params?: unknown) => void): void };
  onDetach: { addListener(listener: (source: Debuggee, reason: string) => void): void };
}

interface AttachedToTarget {
  sessionId: string;
  targetInfo: { type: string; url: string };
  waitingForDebugger: boolean;
}

interface TabCapture {
  /** What runs in the tab's new workers; null once capture is stopping. */
  source: string | null;
  /** Settles once attached (rejects if Chrome refused), then once stopped. */
  settled: Promise<void>;
  /** Sessions of the workers and frames attached to: each auto-attaches its own children. */
  sessions: Set<string>;
  /** Command sequences still letting a waiting target run. */
  releasing: Set<Promise<void>>;
}

const PROTOCOL_VERSION = '1.3';
const HOLD_NEW_TARGETS = { autoAttach: true, waitForDebuggerOnStart: true, flatten: true };
/** While stopping: targets still attach, so that none is left waiting for us, but run at once. */
const STOP_HOLDING = { ...HOLD_NEW_TARGETS, waitForDebuggerOnStart: false };
const WORKER_TYPES = new Set(['worker', 'service_worker']);

const api = (globalThis as { chrome?: { debugger?: ChromeDebugger } }).chrome?.debugger;

const tabs = new Map<number, TabCapture>();

/**
 * Runs `source` (a classic script's text) in every worker the tab starts from
 * now on (dedicated, classic or module, nested, and its service worker) before
 * the worker's own first script, until stopped. Workers already running are
 * left alone. Resolves once attached; rejects where Chrome refuses to debug.
 */
export async function captureWorkers(tabId: number, source: string): Promise<void> {
  if (!api) throw new Error('Sockscope cannot reach workers in this browser: it has no chrome.debugger');
  const current = tabs.get(tabId);
  if (current?.source != null) {
    // Capturing already, or attaching: the one attachment serves with the newer source.
    current.source = source;
    return current.settled;
  }
  // Stopping: capture again once stopped, as a new attachment.
  if (current) await current.settled;
  return tabs.get(tabId) ? captureWorkers(tabId, source) : startCapture(tabId, source);
}

/** Lets every held worker run, then detaches: the tab is as if never captured. */
export async function stopCapturingWorkers(tabId: number): Promise<void> {
  const tab = tabs.get(tabId);
  if (!tab) return;
  // Stopping while attaching: wait for the outcome, which captureWorkers' caller has been told.
  await tab.settled.then(undefined, () => undefined);
  if (tabs.get(tabId) !== tab) return;
  // Stopping already: settled is that stop, which does not fail.
  return tab.source === null ? tab.settled : stop(tabId, tab);
}

/** False too once Chrome ended the attachment (its debugging bar dismissed, the tab closed). */
export function capturingWorkers(tabId: number): boolean {
  return tabs.get(tabId)?.source != null;
}

function newCapture(tabId: number, source: string | null): TabCapture {
  const tab: TabCapture = { source, settled: Promise.resolve(), sessions: new Set(), releasing: new Set() };
  tabs.set(tabId, tab);
  return tab;
}

function startCapture(tabId: number, source: string): Promise<void> {
  const tab = newCapture(tabId, source);
  tab.settled = attach(tabId).catch((error: unknown) => {
    tabs.delete(tabId);
    throw error;
  });
  return tab.settled;
}

async function attach(tabId: number): Promise<void> {
  try {
    await api!.attach({ tabId }, PROTOCOL_VERSION);
    await send({ tabId }, 'Target.setAutoAttach', HOLD_NEW_TARGETS);
  } catch (error) {
    await detach(tabId);
    // Chrome refuses its own pages (chrome://), the Web Store, and a tab another extension debugs.
    throw new Error(`Sockscope cannot debug tab ${tabId}, so cannot reach its workers: ${messageOf(error)}`);
  }
}

function stop(tabId: number, tab: TabCapture): Promise<void> {
  tab.source = null;
  tab.settled = letGo(tabId, tab).finally(() => {
    if (tabs.get(tabId) === tab) tabs.delete(tabId);
  });
  return tab.settled;
}

/**
 * How long stopping waits for a command's answer: a worker that went away mid-sequence may never
 * answer, and a stop that never ends would leave the tab attached and every later change waiting.
 */
const STOP_WAIT_MS = 2_000;

const within = (promise: Promise<unknown>, ms: number): Promise<unknown> =>
  Promise.race([promise, new Promise((resolve) => setTimeout(resolve, ms))]);

/** Stops holding new targets, waits until every held one runs (or answers nothing for a while), then detaches. */
async function letGo(tabId: number, tab: TabCapture): Promise<void> {
  const targets = [{ tabId }, ...[...tab.sessions].map((sessionId) => ({ tabId, sessionId }))];
  // A session may end meanwhile (its worker did): the others still count.
  await within(Promise.allSettled(targets.map((target) => send(target, 'Target.setAutoAttach', STOP_HOLDING))), STOP_WAIT_MS);
  while (tab.releasing.size > 0) {
    const before = tab.releasing.size;
    await within(Promise.allSettled(tab.releasing), STOP_WAIT_MS);
    if (tab.releasing.size >= before) break;
  }
  await detach(tabId);
}

/** Detaches if attached: a tab closed, or never attached to, has nothing to detach. */
async function detach(tabId: number): Promise<void> {
  tabServiceWorkersGone(tabId);
  await api!.detach({ tabId }).catch((error: unknown) => console.debug(`[sockscope] nothing to detach from tab ${tabId}`, error));
}

function send(target: Debuggee, method: string, params?: object): Promise<unknown> {
  // `api` exists: only code reached after an attach, or an event from it, sends.
  return api!.sendCommand(target, method, params);
}

function onEvent({ tabId, sessionId }: Debuggee, method: string, params: unknown): void {
  if (method === 'Target.attachedToTarget') onAttached(tabId, params as AttachedToTarget);
  else if (method === 'Target.detachedFromTarget') detached(tabId, (params as { sessionId: string }).sessionId);
  else if (method === 'Runtime.bindingCalled' && sessionId !== undefined) onBindingCalled({ tabId, sessionId }, params as { name: string; payload: string });
}

function detached(tabId: number, sessionId: string): void {
  tabs.get(tabId)?.sessions.delete(sessionId);
  serviceWorkerGone({ tabId, sessionId });
}

function onAttached(tabId: number, attached: AttachedToTarget): void {
  const tab = tabs.get(tabId) ?? adoptAfterRestart(tabId);
  tab.sessions.add(attached.sessionId);
  const releasing = setUp(tabId, tab.source, attached).catch(logLost);
  tab.releasing.add(releasing);
  void releasing.finally(() => tab.releasing.delete(releasing));
}

/** An event from a tab this worker does not know: it restarted while attached. Capture there stops. */
function adoptAfterRestart(tabId: number): TabCapture {
  const tab = newCapture(tabId, null);
  // After the caller has counted this event's target among those to let go.
  queueMicrotask(() => void stop(tabId, tab));
  return tab;
}

/**
 * Runs the source in a new worker, and lets it run. Sent without waiting for
 * each answer: the worker answers nothing until let run.
 */
async function setUp(tabId: number, source: string | null, { sessionId, targetInfo, waitingForDebugger }: AttachedToTarget): Promise<void> {
  const target = { tabId, sessionId };
  const commands: Promise<unknown>[] = [];
  const serviceWorker = source !== null && targetInfo.type === 'service_worker';
  // Its way to the panel, before the engine runs (a worker already running gets it once its engine is known).
  if (serviceWorker && waitingForDebugger) commands.push(addBinding(send, target));
  // A worker already running is not ours to touch; a frame's workers are found through the frame.
  if (source !== null && waitingForDebugger && WORKER_TYPES.has(targetInfo.type)) commands.push(runSource(target, source));
  commands.push(send(target, 'Target.setAutoAttach', source === null ? STOP_HOLDING : HOLD_NEW_TARGETS));
  // Always: a worker created while we held new ones, but attached after we stopped, reports
  // waitingForDebugger false and still waits. For one that runs, this does nothing.
  commands.push(send(target, 'Runtime.runIfWaitingForDebugger'));
  await Promise.all(commands);
  if (serviceWorker) await connectServiceWorker(send, target, waitingForDebugger);
}

async function runSource(target: Required<Debuggee>, source: string): Promise<void> {
  // silent: an exception of ours neither pauses DevTools nor reaches the worker's console.
  const { exceptionDetails } = (await send(target, 'Runtime.evaluate', { expression: source, silent: true })) as {
    exceptionDetails?: { text: string; exception?: { description?: string } };
  };
  if (exceptionDetails) console.warn('[sockscope] the worker script threw', exceptionDetails.exception?.description ?? exceptionDetails.text);
}

function onDetach({ tabId }: Debuggee, reason: string): void {
  // 'canceled_by_user' (the debugging bar dismissed) or 'target_closed': capture is simply off.
  tabServiceWorkersGone(tabId);
  const tab = tabs.get(tabId);
  if (!tab) return;
  tabs.delete(tabId);
  if (tab.source !== null) console.debug(`[sockscope] worker capture off for tab ${tabId}: ${reason}`);
}

function logLost(error: unknown): void {
  // A worker or tab that goes away mid-sequence fails its pending commands: expected.
  console.debug('[sockscope] a worker went away while being set up', error);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// Top level, so that Chrome can wake this service worker with them.
api?.onEvent.addListener(onEvent);
api?.onDetach.addListener(onDetach);
