// What happens to a page under the panel. It navigates in the middle of a
// flood: the panel stays consistent, each socket listed once, none shown open
// after its page went, every message the page received counted (shown, or
// said not kept), and "Preserve log" honoured. It opens and closes 10,000
// sockets: what the page keeps of them stays bounded, and the panel usable.
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect } from 'vitest';
import { WebSocketServer } from 'ws';
import type { Page as PlaywrightPage } from 'playwright-core';
import { describeIn, describeInBrowsers, testPageUrl, type PanelBrowser } from '../fixtures';
import type { DevToolsPanel, Evaluator } from '../lib/devtools';
import { click, leadingNumber, rowTexts, selectSocket, setField, summaryFacts, textOf, ungrouped, waitForMessages } from '../lib/panel';
import { PageSocket } from '../lib/page-socket';
import { echoUrl, token } from '../lib/traffic';
import { waitFor } from '../lib/wait';

/** The flood: messages a second, and how many (far more than the page takes before it leaves). */
const RATE = 10_000;
const FLOOD = 200_000;

/** What the panel accounts for of the selected socket: the messages it shows plus those it says it never got. */
async function accountedFor(panel: Evaluator): Promise<number> {
  const shown = Number(/^\d+/.exec(ungrouped((await textOf(panel, 'filter-count')) ?? ''))?.[0] ?? NaN);
  return shown + leadingNumber((await summaryFacts(panel))['Not kept']);
}

describeInBrowsers((test) => {
  test('a navigation in the middle of a flood: each socket listed once, none left open, every message counted, with Preserve log off and on', async ({ browser }) => {
    const run = token();
    const { tab, page, panel } = await browser.inspect(run);
    for (const preserve of [false, true]) {
      const step = `${run}-${preserve ? 'preserved' : 'cleared'}`;
      if (preserve) await click(panel, 'preserve-log');
      const flood = await PageSocket.open(page, `${browser.server.wsUrl}/bulk?rate=${RATE}&run=${step}`);
      // The page says how many messages it got, as it leaves.
      await page.evaluate(`addEventListener('pagehide', () => sessionStorage.setItem('received', String(Object.values(globalThis.__e2eSockets).at(-1).received.length)))`);
      await flood.send([`${FLOOD}x64#`]);
      await waitFor('the page amid the flood', async () => (await flood.receivedCount()) >= 10_000, { timeoutMs: 30_000 });

      await tab.goto(testPageUrl(browser.server, `${step}-next`));
      const received = Number(await page.evaluate<string>(`sessionStorage.getItem('received')`));
      expect(received, 'the page left in the middle of the flood').toBeLessThan(FLOOD);
      const after = await PageSocket.open(page, echoUrl(browser.server, `${step}-after`));
      await after.waitForReceived([`${step}-after`]);
      await selectSocket(panel, after.url);

      const listed = async () => (await rowTexts(panel, 'socket-row')).filter((row) => row.includes(step));
      if (!preserve) {
        await waitFor('the log holding the new page alone', async () => ungrouped((await textOf(panel, 'log-size')) ?? '') === '1 socket · 1 message');
        expect(await listed(), 'the new page’s socket alone').toEqual([expect.stringContaining(`${step}-after`)]);
        continue;
      }
      await waitFor('the flood’s socket once, from the earlier page and no longer open', async () => {
        const rows = await listed();
        const floodRows = rows.filter((row) => row.includes(flood.url));
        return rows.length === 2 && floodRows.length === 1 && floodRows[0].includes('earlier page') && !floodRows[0].includes('OPEN');
      });
      await selectSocket(panel, flood.url);
      // The request the page sent, and every message it received.
      let counted = 0;
      await waitFor(
        () => `the panel accounting for the ${received + 1} messages the page exchanged (it accounts for ${counted})`,
        async () => (counted = await accountedFor(panel)) === received + 1,
      );
    }
  });
});

/**
 * Sockets the churn opens and closes, one at a time on each of its lanes, and what the page's shim
 * keeps of them. Browsers hold back a socket's handshake while another to the same address is under
 * way (Chromium also waits 10 ms after each): each lane has a server on a loopback address of its own.
 * More lanes at once, and Chromium's throttle of a renderer's pending handshakes slows every one.
 */
const CHURN = { sockets: 10_000, lanes: 8, kept: 2_000 };
/** The churn takes 70–85 s here: twice that before it counts as hung. It runs in a browser of its own: the tests after it found the one it ran in slow to answer. */
const CHURN_TIMEOUT_MS = 180_000;

/** One greeting server per lane, each on a loopback address of its own: the URLs the churn's sockets open, less their number. */
function useChurnServers(): () => string[] {
  const servers: WebSocketServer[] = [];
  beforeAll(async () => {
    for (let lane = 0; lane < CHURN.lanes; lane++) {
      const server = new WebSocketServer({ host: `127.0.0.${lane + 1}`, port: 0 });
      servers.push(server);
      await new Promise((resolve, reject) => server.once('listening', resolve).once('error', reject));
      server.on('connection', (ws, request) => ws.send(new URL(request.url ?? '/', 'http://x').searchParams.get('greet') ?? ''));
    }
  });
  afterAll(() => Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve)))));
  return () => servers.map((server) => `ws://${server.options.host}:${(server.address() as AddressInfo).port}/?greet=`);
}

/** Opens and closes sockets `from` to `to` - 1, each greeted with its number (prefixed with `run`) before the page closes it. */
async function churn(page: Evaluator, lanes: string[], run: string, from: number, to: number): Promise<void> {
  await page.evaluate(`Promise.all(${JSON.stringify(lanes)}.map(async (url, lane) => {
    for (let i = ${from} + lane; i < ${to}; i += ${lanes.length}) {
      await new Promise((resolve, reject) => {
        const ws = new WebSocket(url + ${JSON.stringify(run)} + i);
        ws.onmessage = () => ws.close(1000);
        ws.onclose = resolve;
        ws.onerror = () => reject(new Error('socket ' + ws.url + ' failed'));
      });
    }
  })).then(() => true)`);
}

/** The page's and the panel's JS heap after a full garbage collection, where the browser tells (Chromium). */
type Heaps = () => Promise<{ page: number; panel: number }>;

/**
 * What the panel's heap may grow by per socket it lists: its record, its entry and signals, its
 * message (about 1 KiB measured; 6.4 KiB when a narrow panel rendered every row of its list).
 */
const PANEL_BYTES_PER_SOCKET = 2 * 1024;

/**
 * The churn under an open panel: the list shows the last socket and its greeting, and a panel opened
 * afterwards (the panel reloaded) hears of the sockets the page's shim kept: its bound, not all of them.
 * With `heaps`, the page's heap grows by no more than 1 MiB between 2,000 sockets and 10,000.
 */
async function churnUnderPanel(
  browser: PanelBrowser,
  lanes: string[],
  measure?: (tab: PlaywrightPage, panel: DevToolsPanel) => Promise<Heaps>,
): Promise<void> {
  const run = token();
  const { tab, page, panel } = await browser.inspect(run);
  const heaps = await measure?.(tab as PlaywrightPage, panel as DevToolsPanel);
  const start = await heaps?.();
  await churn(page, lanes, `${run}-`, 0, CHURN.kept);
  const kept = await heaps?.();
  await churn(page, lanes, `${run}-`, CHURN.kept, CHURN.sockets);
  const end = await heaps?.();
  if (start && kept && end) {
    const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(2)} MiB`;
    console.log(`heap, page: +${mib(kept.page - start.page)} after ${CHURN.kept} sockets, +${mib(end.page - start.page)} after ${CHURN.sockets}; panel: +${mib(end.panel - start.panel)}`);
    expect(end.page - kept.page, `the page's heap past ${CHURN.kept} closed sockets (their records are forgotten)`).toBeLessThan(2 ** 20);
    expect(end.panel - start.panel, `the panel's heap, holding ${CHURN.sockets} sockets (its log's limit)`).toBeLessThan(PANEL_BYTES_PER_SOCKET * CHURN.sockets);
  }

  await waitFor(`the toolbar counting ${CHURN.sockets} sockets`, async () => ungrouped((await textOf(panel, 'log-size')) ?? '') === `${CHURN.sockets} sockets · ${CHURN.sockets} messages`, { timeoutMs: 30_000 });
  // The last socket, found among them all by the list's query.
  await setField(panel, 'socket-query', `${run}-${CHURN.sockets - 1}`);
  await selectSocket(panel, `${run}-${CHURN.sockets - 1}`);
  await waitForMessages(panel, { [`${run}-${CHURN.sockets - 1}`]: 1 });

  await panel.evaluate('(location.reload(), true)');
  await waitFor(`a panel opened afterwards hearing of the ${CHURN.kept} sockets the page kept`, async () => ungrouped((await textOf(panel, 'log-size').catch(() => null)) ?? '') === `${CHURN.kept} sockets · ${CHURN.kept} messages`, { timeoutMs: 30_000 });
}

describeIn('Chromium', (test) => {
  const lanes = useChurnServers();
  test('10,000 sockets opened and closed under the panel: the page keeps 2,000 and its heap stops growing, the panel lists them all and stays usable', ({ browser }) =>
    churnUnderPanel(browser, lanes(), async (tab, panel) => {
      const page = await tab.context().newCDPSession(tab);
      const heapOf = async (send: (method: string) => Promise<unknown>) => {
        await send('HeapProfiler.collectGarbage');
        return ((await send('Runtime.getHeapUsage')) as { usedSize: number }).usedSize;
      };
      return async () => ({
        page: await heapOf((method) => page.send(method as 'Runtime.getHeapUsage')),
        panel: await heapOf((method) => panel.panel.send(method)),
      });
    }),
    CHURN_TIMEOUT_MS,
  );
}, { ownBrowser: true });

describeIn('Firefox', (test) => {
  const lanes = useChurnServers();
  test('10,000 sockets opened and closed under the panel: the page keeps 2,000, the panel lists them all and stays usable', ({ browser }) => churnUnderPanel(browser, lanes()), CHURN_TIMEOUT_MS);
}, { ownBrowser: true });
