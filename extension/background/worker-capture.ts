// "Capture workers", per origin: the workers that pages of those origins start
// run the worker engine (worker-shim.js) before their own code, from the
// page's next load. Firefox: the engine goes first in the worker's script as
// it arrives (worker-scripts.ts). Chromium: the background debugs every tab
// showing such a page and runs the engine in each worker it starts, before
// the worker's first script (worker-debugger.ts); Chrome says so in its
// "started debugging this browser" bar.
import browser from 'webextension-polyfill';
import { SERVICE_WORKER_CHANNEL, SERVICE_WORKER_CHANNEL_KEY } from '../../shim/wire/names';
import { originOf } from './origin-of';
import { captureWorkers, capturingWorkers, stopCapturingWorkers } from './worker-debugger';
import { workerScriptRoute } from './worker-scripts';

/** The origins capture is on for; replaced whole when the user changes one. */
let origins: Promise<ReadonlySet<string>> = Promise.resolve(new Set());
/** Chromium: brings every open tab's debugging in line with `origins`. */
let debugOpenTabs: (() => Promise<void>) | null = null;
/** Firefox: puts its worker-script listener in (while some origin has capture on) or takes it out, and remembers which. */
let listen: ((on: boolean) => void) | null = null;

const engine = (): Promise<Response> => fetch(browser.runtime.getURL('worker-shim.js'));

/** Starts the route this browser has, capturing for the origins `stored` holds (from extension storage). */
export function startWorkerCapture(stored: Promise<string[]>): void {
  if (typeof browser.webRequest.filterResponseData === 'function') {
    const bytes = engine().then(async (response) => new Uint8Array(await response.arrayBuffer()));
    const forServiceWorkers = Promise.all([serviceWorkerChannel(), bytes]).then(([name, engine]) => {
      const first = new TextEncoder().encode(`self.${SERVICE_WORKER_CHANNEL}=${JSON.stringify(name)};`);
      const joined = new Uint8Array(first.length + engine.length);
      joined.set(first);
      joined.set(engine, first.length);
      return joined;
    });
    const route = workerScriptRoute(
      (destination) => (destination === 'serviceworker' ? forServiceWorkers : bytes),
      async (origin) => (await origins).has(origin),
    );
    listen = (on) => {
      route(on);
      remember(on);
    };
    // Firefox persists only the listeners added while the event page loads (bug 1503721): it primes them while
    // the page is suspended, holding a matching request and waking the page for it. One added later goes with
    // the suspended page and wakes nothing: the page's bridge would wake it, racing the worker's request. Hence
    // the listener goes in now, from a synchronous copy of whether it was there; storage corrects it once read.
    route(remembered());
  } else {
    debugOpenTabs = debugTabs(engine().then((response) => response.text()));
  }
  void captureWorkersOn(stored);
}

/** The origins to capture from now on (the pages' next loads); settles once the open tabs are set up for it. */
export async function captureWorkersOn(list: Promise<string[]> | string[]): Promise<void> {
  const next = Promise.resolve(list).then(
    (items): ReadonlySet<string> => new Set(items),
    () => new Set<string>(),
  );
  origins = next;
  const set = await next;
  if (origins === next) listen?.(set.size > 0);
  await debugOpenTabs?.();
}

/**
 * Firefox: the secret name of the channel between a service worker's engine
 * and the bridges of its origin, made once and kept: a service worker's
 * script must stay the same bytes from one start of the browser to the next,
 * or Firefox would install it again as a new version.
 */
async function serviceWorkerChannel(): Promise<string> {
  const stored: unknown = (await browser.storage.local.get(SERVICE_WORKER_CHANNEL_KEY))[SERVICE_WORKER_CHANNEL_KEY];
  if (typeof stored === 'string') return stored;
  const name = `sockscope-${crypto.randomUUID()}`;
  await browser.storage.local.set({ [SERVICE_WORKER_CHANNEL_KEY]: name });
  return name;
}

/**
 * Firefox: whether some origin had capture on, kept where the background can
 * read it in its first turn (extension storage answers later). Only a copy:
 * the browser may clear it with site data; the listener then comes once
 * storage is read.
 */
const REMEMBERED = 'sockscope.captureWorkers';

function remembered(): boolean {
  try {
    return globalThis.localStorage?.getItem(REMEMBERED) === 'on';
  } catch (error) {
    console.warn('[sockscope]', error);
    return false;
  }
}

function remember(on: boolean): void {
  try {
    globalThis.localStorage?.setItem(REMEMBERED, on ? 'on' : 'off');
  } catch (error) {
    console.warn('[sockscope]', error);
  }
}

/** Debugs the tabs whose page is of a captured origin, following each tab's loads; returns how to apply a change of origins. */
function debugTabs(source: Promise<string>): () => Promise<void> {
  const follow = async (tabId: number, url: string | undefined) => {
    const origin = originOf(url);
    try {
      if (origin !== null && (await origins).has(origin)) await captureWorkers(tabId, await source);
      else if (capturingWorkers(tabId)) await stopCapturingWorkers(tabId);
    } catch (error) {
      // Chrome refuses some tabs (its own pages, another debugger's): their workers stay unseen.
      console.warn('[sockscope]', error);
    }
  };
  // A load's new URL arrives as it starts, before the page can start a worker.
  browser.tabs.onUpdated.addListener((tabId, change) => {
    if (change.url !== undefined) void follow(tabId, change.url);
  });
  return async () => {
    await Promise.all((await browser.tabs.query({})).map((tab) => tab.id !== undefined && follow(tab.id, tab.url)));
  };
}
