// A captured worker cannot tell: the same workers (classic and module), started
// from a page under a strict policy (workers from its own origin only, Trusted
// Types enforced), report what they observe of themselves with "Capture
// workers" off and on, and the reports are equal: location, name, import.meta.url,
// relative URLs of a socket, fetch, importScripts and import(), the global's
// own property names, WebSocket's and toString's source text, and error
// stacks (file names, lines and columns off the first line). The run with
// capture on must also show each worker's socket in the panel, so that the
// test cannot pass by capturing nothing.
import { expect } from 'vitest';
import { describeInBrowsers } from '../fixtures';
import { rowTexts } from '../lib/panel';
import { echoUrl, token } from '../lib/traffic';
import { waitFor } from '../lib/wait';
import { setCaptureWorkers, uninstrumentedRows, unregisterServiceWorkers } from '../lib/workers-scenario';

const WORKERS = { classic: 'facts-worker.js', module: 'facts-module-worker.js' } as const;

/** Starts the worker through a Trusted Types policy where the browser enforces them, and waits for its report. */
const report = (kind: keyof typeof WORKERS, ws: string) => `(() => {
  const policy = self.trustedTypes ? trustedTypes.createPolicy('facts', { createScriptURL: (url) => url }) : null;
  const url = '/${WORKERS[kind]}?ws=' + encodeURIComponent(${JSON.stringify(ws)});
  const worker = new Worker(policy ? policy.createScriptURL(url) : url, { type: '${kind}', name: 'facts' });
  return new Promise((resolve, reject) => {
    worker.onmessage = (event) => resolve(event.data);
    worker.onerror = (event) => reject(new Error('the worker failed: ' + event.message));
  });
})()`;

/** Cacheable, so that the page's read from the cache would show what went into a cached copy. */
const serviceUrl = (ws: string) => `/facts-service-worker.js?cacheable&ws=${encodeURIComponent(ws)}`;

/** Registers the service worker through a Trusted Types policy, and waits for its report; the test unregisters it. */
const serviceReport = (ws: string) => `(async () => {
  const policy = self.trustedTypes ? trustedTypes.createPolicy('facts', { createScriptURL: (url) => url }) : null;
  const url = ${JSON.stringify(serviceUrl(ws))};
  const facts = new Promise((resolve) => navigator.serviceWorker.addEventListener('message', (event) => resolve(event.data), { once: true }));
  await navigator.serviceWorker.register(policy ? policy.createScriptURL(url) : url);
  return facts;
})()`;

describeInBrowsers((test) => {
  test('a captured worker observes itself as without Sockscope, under a strict policy', async ({ browser }) => {
    const run = token();
    const { tab, page, panel } = await browser.inspect(run, 'strict.html');
    const greeting = (kind: string) => `${run}-${kind}`;
    const reports = async () => ({
      // Trusted Types are enforced: a worker from a plain string is refused, with or without Sockscope.
      plainString: await page.evaluate(`(() => { try { new Worker('/facts-dep.js'); return 'started'; } catch (error) { return error.name + ': ' + error.message; } })()`),
      classic: await page.evaluate<Record<string, string>>(report('classic', echoUrl(browser.server, greeting('classic')))),
      module: await page.evaluate<Record<string, string>>(report('module', echoUrl(browser.server, greeting('module')))),
    });
    await setCaptureWorkers(panel, false, () => tab.reload());
    const native = await reports();
    // Not captured then: the network saw the workers' sockets, and no shim reported them.
    await waitFor('the native run\'s worker sockets, listed as not instrumented', async () => {
      const rows = await uninstrumentedRows(panel);
      return Object.keys(WORKERS).every((kind) => rows.some((row) => row.includes(encodeURIComponent(greeting(kind)))));
    });
    await setCaptureWorkers(panel, true, () => tab.reload());
    let captured: typeof native;
    try {
      captured = await reports();
      for (const kind of Object.keys(WORKERS)) {
        await waitFor(`the ${kind} worker's socket, captured`, async () =>
          (await rowTexts(panel, 'socket-row')).some((row) => row.includes(encodeURIComponent(greeting(kind))) && row.includes('dedicated worker')),
        );
      }
    } finally {
      await setCaptureWorkers(panel, false, () => tab.reload());
    }
    expect(captured).toEqual(native);
    // The reports say something: the facts are the worker's own.
    expect(native.module).toMatchObject({ name: 'facts', meta: expect.stringContaining('/facts-module-worker.js?ws='), dynamicImport: expect.stringMatching(/\/facts-dep\.js$/) });
    expect(native.plainString).toMatch(/^TypeError/);
    expect(native.classic.imported).toContain('facts-import.js:2:');
    expect(native.classic.ownStack).toMatch(/facts-worker\.js\?ws=[^:\s]+:4:\d+/);
  });
});

describeInBrowsers((test) => {
  test('a captured service worker observes itself as without Sockscope, under a strict policy', async ({ browser }) => {
    const run = token();
    const { tab, page, panel } = await browser.inspect(run, 'strict.html');
    const greeting = encodeURIComponent(`${run}-service`);
    const facts = () => page.evaluate<Record<string, string>>(serviceReport(echoUrl(browser.server, `${run}-service`)));
    await setCaptureWorkers(panel, false, () => tab.reload());
    let native: Record<string, string>;
    let captured: Record<string, string>;
    try {
      native = await facts();
      // Unregistered, it goes with the page's reload: the next registration starts a new worker.
      await unregisterServiceWorkers(page);
      await setCaptureWorkers(panel, true, () => tab.reload());
      captured = await facts();
      await waitFor("the service worker's socket, captured", async () =>
        (await rowTexts(panel, 'socket-row')).some((row) => row.includes(greeting) && row.includes('service worker')),
      );
      // What reaches the worker first (Firefox: its channel's secret name, then the engine) is not in its script as the page reads it, from the cache or anew.
      for (const cache of ['force-cache', 'no-store']) {
        const text = await page.evaluate<string>(`fetch(${JSON.stringify(serviceUrl(echoUrl(browser.server, `${run}-service`)))}, { cache: '${cache}' }).then((response) => response.text())`);
        expect(text).toContain('importScripts(');
        expect(text).not.toMatch(/sockscope/i);
      }
    } finally {
      await unregisterServiceWorkers(page);
      await setCaptureWorkers(panel, false, () => tab.reload());
    }
    expect(captured).toEqual(native);
    // The report says something: the facts are the worker's own.
    expect(native.location).toContain('/facts-service-worker.js?cacheable&ws=');
    expect(native.dynamicImport).toMatch(/^TypeError/);
    expect(native.imported).toContain('facts-import.js:2:');
    expect(native.ownStack).toMatch(/facts-service-worker\.js\?cacheable&ws=[^:\s]+:5:\d+/);
  });
});
