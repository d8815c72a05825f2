// "Capture workers", per origin: the workers that pages of those origins start
// run the worker engine (worker-shim.js) before their own code, from the
// page's next load. Firefox: put first in the worker's script (worker-scripts.ts).
import browser from 'webextension-polyfill';
import { prependToWorkerScripts } from './worker-scripts';

/** The origins capture is on for; replaced whole when the user changes one. */
let origins: Promise<ReadonlySet<string>> = Promise.resolve(new Set());

const engine = (): Promise<Uint8Array> =>
  fetch(browser.runtime.getURL('worker-shim.js'))
    .then((response) => response.arrayBuffer())
    .then((buffer) => new Uint8Array(buffer));

/** Starts the route this browser has, capturing for the origins `stored` holds (from extension storage). */
export function startWorkerCapture(stored: Promise<string[]>): void {
  captureWorkersOn(stored);
  if (typeof browser.webRequest.filterResponseData === 'function') {
    prependToWorkerScripts(engine(), async (origin) => (await origins).has(origin));
  }
}

/** The origins to capture from now on (the pages' next loads). */
export function captureWorkersOn(list: Promise<string[]> | string[]): void {
  origins = Promise.resolve(list).then(
    (items) => new Set(items),
    () => new Set(),
  );
}
