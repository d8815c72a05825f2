// MV3 may stop the background worker at any moment. Nothing may be lost or
// duplicated when it restarts: ports reconnect, and the panel asks each shim
// for only the frames it lacks.
import { afterAll, beforeAll, expect, test } from 'vitest';
import {
  allMessageTexts,
  DIST_CHROME,
  launchChromium,
  openSockscopeInDevTools,
  selectSocket,
  sleep,
  waitForMessages,
  watchServiceWorker,
  type ChromiumSession,
  type DevToolsPanel,
} from './browsers';
import { countContaining, payload, startDemoServer, testPageUrl, token, type DemoServer } from './fixtures';
import { PageSocket, pageEvaluator } from './lib/page-socket';

/** Small enough to assert on every row, large enough to straddle the restart. */
const BEFORE = 20;
const DURING = 20;

/** Each payload shows twice: sent, then echoed. */
const twice = (texts: string[]) => Object.fromEntries(texts.map((text) => [text, 2]));

let server: DemoServer;
let chromium: ChromiumSession;
let panel: DevToolsPanel | undefined;

beforeAll(async () => {
  server = await startDemoServer();
  chromium = await launchChromium({ extension: DIST_CHROME, devtools: true });
});

afterAll(async () => {
  panel?.close();
  await chromium?.close();
  await server?.close();
});

test('frames sent while the service worker restarts reach the panel exactly once', async () => {
  const run = token();
  const page = await chromium.context.newPage();
  const url = testPageUrl(server, run);
  await page.goto(url);
  panel = await openSockscopeInDevTools(chromium.debuggingPort!, chromium.extensionId!, url);

  const socket = await PageSocket.open(pageEvaluator(page), `${server.wsUrl}/echo`);
  const before = Array.from({ length: BEFORE }, (_, i) => payload('before', run, i));
  const during = Array.from({ length: DURING }, (_, i) => payload('during', run, i));

  await socket.send(before);
  await socket.waitForReceived(before);
  await selectSocket(panel, socket.url);
  await waitForMessages(panel, twice(before));

  const worker = await watchServiceWorker(chromium.context, chromium.extensionId!);
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
  const frames = await allMessageTexts(panel);
  for (const text of all) expect(countContaining(frames, text), `rows showing ${text}`).toBe(2);
  expect(frames).toHaveLength(2 * all.length);
});
