// Firefox's route into a worker: the engine goes first in the worker's script
// as the browser receives it (blocking webRequest with filterResponseData),
// so the worker keeps its own URL, base URL and origin, and its code its line
// numbers (the engine is one line, put on the script's first line). Only
// requests the browser makes to start a worker are touched: a worker script's
// request says so in Sec-Fetch-Dest ("worker", also for every module of a
// module worker, each of which evaluates before the module importing it;
// "sharedworker", "serviceworker"), which no page script's, `importScripts` or
// `fetch` has; a script answered from the cache still shows its request
// headers here. A service worker's script (which Firefox lets an extension
// filter only with the webRequestFilterResponse.serviceWorkerScript
// permission) starts with the secret name of its channel to the bridges
// (shim/capture/broadcast-channel.ts), then the engine.
// Firefox sends that header to potentially trustworthy origins only (https,
// localhost, 127.0.0.1): workers of plain-http sites elsewhere are not
// reached (docs/limits.md).
import browser, { type WebRequest } from 'webextension-polyfill';
import { afterPrologue } from './directive-prologue';
import { originOf } from './origin-of';

const WORKER_DESTINATIONS = ['worker', 'sharedworker', 'serviceworker'];
/** Bytes of a script read to find the end of its directive prologue; past this, the engine goes first. */
const PROLOGUE_BYTES = 64 * 1024;

/**
 * Puts `engine(destination)` first in every worker script whose tab's page origin `wanted`
 * says yes to (a SharedWorker belongs to no tab: the origin of the document
 * starting it), while the function returned was last told to listen. Its
 * blocking listener makes every script request wait for the background, so
 * it is there only while some origin has capture on. It hears every host:
 * a captured page's frames, and so their workers' scripts, may be of any.
 */
export function workerScriptRoute(engine: (destination: string) => Promise<Uint8Array>, wanted: (origin: string) => Promise<boolean>): (listening: boolean) => void {
  const listener = (details: WebRequest.OnBeforeSendHeadersDetailsType) => {
    const destination = details.requestHeaders?.find((header) => header.name.toLowerCase() === 'sec-fetch-dest')?.value;
    if (!destination || !WORKER_DESTINATIONS.includes(destination)) return undefined;
    // Blocks the request until decided: the filter must be attached before the response starts.
    return pageOrigin(details).then(async (origin) => {
      const yes = origin !== null && (await wanted(origin));
      if (yes) prepend(browser.webRequest.filterResponseData(details.requestId), await engine(destination));
      return {};
    });
  };
  let on = false;
  return (listening) => {
    if (listening === on) return;
    on = listening;
    const event = browser.webRequest.onBeforeSendHeaders;
    if (on) event.addListener(listener, { urls: ['http://*/*', 'https://*/*'], types: ['script'] }, ['blocking', 'requestHeaders']);
    else event.removeListener(listener);
  };
}

async function pageOrigin({ tabId, originUrl }: WebRequest.OnBeforeSendHeadersDetailsType): Promise<string | null> {
  if (tabId < 0) return originOf(originUrl);
  return originOf((await browser.tabs.get(tabId).catch(() => null))?.url);
}

/** Passes the response through, with `engine` after the script's directive prologue ("use strict"; stays in force). */
function prepend(filter: WebRequest.StreamFilter, engine: Uint8Array): void {
  let head: Uint8Array = new Uint8Array(0);
  let done = false;
  const flush = (at: number) => {
    done = true;
    filter.write(head.subarray(0, at));
    filter.write(engine);
    filter.write(head.subarray(at));
  };
  filter.ondata = ({ data }) => {
    if (done) return filter.write(data);
    head = concat(head, new Uint8Array(data));
    const at = afterPrologue(head, false);
    if (at !== null) flush(at);
    else if (head.length >= PROLOGUE_BYTES) flush(0);
  };
  filter.onstop = () => {
    if (!done) flush(afterPrologue(head, true) ?? 0);
    filter.close();
  };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}
