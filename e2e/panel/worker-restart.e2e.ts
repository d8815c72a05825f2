// MV3 may stop the background worker at any moment. Nothing may be lost or
// duplicated when it restarts: ports reconnect, and the panel asks each shim
// for only the messages it lacks.
// Chromium alone: Firefox's MV3 background is an event page, not a service
// worker. A browser of its own, so that stopping its worker neither
// disturbs the other specs' panels nor makes them part of the restart.
import { afterAll, expect, test } from 'vitest';
import { testPageUrl, useChromium, useDemoServer } from '../fixtures';
import { openSockscopeInDevTools, type DevToolsPanel } from '../lib/devtools';
import { PageSocket, pageEvaluator } from '../lib/page-socket';
import { allMessageTexts, selectSocket, waitForMessages } from '../lib/panel';
import { DIST_CHROME } from '../lib/paths';
import { watchServiceWorker } from '../lib/service-worker';
import { countContaining, payload, token } from '../lib/traffic';
import { sleep } from '../lib/wait';

/** Small enough to assert on every row, large enough to straddle the restart. */
const BEFORE = 20;
const DURING = 20;

/** Each payload shows twice: sent, then echoed. */
const twice = (texts: string[]) => Object.fromEntries(texts.map((text) => [text, 2]));

const server = useDemoServer();
const chromium = useChromium({ extension: DIST_CHROME, devtools: true });
let panel: DevToolsPanel | undefined;

afterAll(() => panel?.close());

test('messages sent while the service worker restarts reach the panel exactly once', async () => {
  const run = token();
  const page = await chromium().context.newPage();
  const url = testPageUrl(server(), run);
  await page.goto(url);
  panel = await openSockscopeInDevTools(chromium().debuggingPort!, chromium().extensionId!, url);

  const socket = await PageSocket.open(pageEvaluator(page), `${server().wsUrl}/echo`);
  const before = Array.from({ length: BEFORE }, (_, i) => payload('before', run, i));
  const during = Array.from({ length: DURING }, (_, i) => payload('during', run, i));

  await socket.send(before);
  await socket.waitForReceived(before);
  await selectSocket(panel, socket.url);
  await waitForMessages(panel, twice(before));

  const worker = await watchServiceWorker(chromium().context, chromium().extensionId!);
  try {
    await worker.stop();
    // The bridge and the panel reconnect within ~50 ms, which restarts the
    // worker: send across that window, 10 ms apart.
    await socket.send(during, 10);
    await socket.waitForReceived(during);
    await worker.waitForRunning();
    expect(worker.history()).toEqual(expect.arrayContaining(['stopping', 'stopped', 'starting', 'running']));
  } finally {
    await worker.close();
  }

  const all = [...before, ...during];
  await waitForMessages(panel, twice(all), { timeoutMs: 30_000 });
  // Late duplicates would arrive after everything was seen once: look again.
  await sleep(1000);
  const rows = await allMessageTexts(panel);
  for (const text of all) expect(countContaining(rows, text), `rows showing ${text}`).toBe(2);
  expect(rows).toHaveLength(2 * all.length);
});
