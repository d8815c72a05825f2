// The shim's engine in worker realms: dist/shim.js, loaded first in a
// dedicated (classic and module) or shared worker, captures the worker's
// socket, and leaves what the worker can observe of itself as native: its
// location, a socket URL relative to it, `WebSocket`'s source text and its
// global's own property names (besides the standalone build's one global,
// `sockscope`). The same worker script runs with and without the shim; each
// run's socket is checked captured, so no test passes by capturing nothing.
// (How a worker gets the shim first in the extension is issue 19's.)
import type { Page as ChromiumPage } from 'playwright-core';
import type { Page as FirefoxPage } from 'puppeteer-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { HOSTS } from '../conformance/server';
import { useChromium, useConformanceServer, useExtensionCopy, useFirefox } from '../fixtures';
import { DIST_FIREFOX } from '../lib/paths';

interface Report {
  got: string;
  location: string;
  webSocketSource: string;
  ownNames: string[];
  captured: [string, number][] | null;
}

const KINDS = ['classic', 'module', 'shared'] as const;

/** Starts a worker of `kind` from the page, with the shim first or not, and waits for its report. */
const startWorker = (kind: string, shim: boolean, tag: string) => `(() => {
  const url = '/worker.js?kind=${kind}${shim ? '&shim' : ''}&tag=${tag}';
  const worker = ${JSON.stringify(kind)} === 'shared' ? new SharedWorker(url) : new Worker(url, { type: ${JSON.stringify(kind === 'module' ? 'module' : 'classic')} });
  const port = ${JSON.stringify(kind)} === 'shared' ? worker.port : worker;
  return new Promise((resolve, reject) => {
    port.onmessage = (event) => resolve(event.data);
    worker.onerror = (event) => reject(new Error('the worker failed: ' + (event.message ?? 'no message')));
  });
})()`;

const server = useConformanceServer();
const chromium = useChromium();
const firefox = useFirefox({ extension: useExtensionCopy(DIST_FIREFOX, [HOSTS.standalone]) });
const evaluators: Record<string, (expression: string) => Promise<Report>> = {};

beforeAll(async () => {
  const url = `${server().pageOrigin(HOSTS.native)}/page.html?workers`;
  const chromiumPage: ChromiumPage = await chromium().context.newPage();
  await chromiumPage.goto(url);
  evaluators.Chromium = (expression) => chromiumPage.evaluate(expression) as Promise<Report>;
  const firefoxPage: FirefoxPage = await firefox().browser.newPage();
  await firefoxPage.goto(url, { waitUntil: 'load' });
  evaluators.Firefox = (expression) => firefoxPage.evaluate(expression) as Promise<Report>;
});

for (const browser of ['Chromium', 'Firefox']) {
  describe(`the shim in a worker, ${browser}`, () => {
    for (const kind of KINDS) {
      test(`${kind} worker: its socket is captured, and what it observes of itself is as native`, async () => {
        const tag = Math.random().toString(36).slice(2);
        const native = await evaluators[browser](startWorker(kind, false, tag));
        const shimmed = await evaluators[browser](startWorker(kind, true, tag));
        const socketUrl = `ws://${HOSTS.native}:${server().port}/greet?text=from-the-worker`;
        expect(native.captured).toBeNull();
        expect(shimmed.captured).toEqual([[socketUrl, 1]]);
        expect(shimmed.got).toBe('from-the-worker');
        expect({ ...shimmed, captured: null, location: shimmed.location.replace('&shim', '') }).toEqual({ ...native, ownNames: [...native.ownNames, 'sockscope'].sort() });
      });
    }
  });
}
