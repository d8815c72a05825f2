// Nothing lost silently: past every bound, the panel's counts add up to the
// page's. A socket whose traffic outgrew what the page keeps before the panel
// opened shows how many messages it never saw; a flood past what crosses to
// the panel in full shows how many crossed cut; one message of 100 MiB
// reaches the page whole and the panel cut, said so; and in each, what the
// panel holds plus what it says it lacks is what the page exchanged.
import { expect } from 'vitest';
import { describeInBrowsers } from '../fixtures';
import type { Evaluator } from '../lib/devtools';
import { leadingNumber, rowTexts, selectSocket, summaryFacts, textOf, ungrouped, waitForFilterCount } from '../lib/panel';
import { PageSocket } from '../lib/page-socket';
import { token } from '../lib/traffic';
import { waitFor } from '../lib/wait';

/** Waits until the panel holds `expected` of the selected socket's messages. */
const shownCount = (panel: Evaluator, expected: number): Promise<void> => waitForFilterCount(panel, String(expected), { timeoutMs: 60_000 });

describeInBrowsers((test) => {
  test("past what the page keeps and what crosses in full, and with a 100 MiB message, the panel's counts add up to the page's", async ({ browser }) => {
    const run = token();
    const { page, url } = await browser.openTab(run);

    // Before the panel: 3,000 messages, more than the page keeps (its last 1,000 per socket).
    const early = await PageSocket.open(page, `${browser.server.wsUrl}/bulk?run=${run}-early`);
    await early.send(['3000x10']);
    await waitFor('the page receiving 3,000 messages', async () => (await early.receivedCount()) === 3_000);
    const panel = await browser.openPanel(url);
    await selectSocket(panel, early.url);
    await shownCount(panel, 1_000);
    expect(leadingNumber((await summaryFacts(panel))['Not kept']), "the messages the page sent and received that the panel never saw").toBe(3_001 - 1_000);

    // With the panel open, 32 MiB at once: past the 2 MiB a second that crosses in full, the rest crosses cut.
    const flood = await PageSocket.open(page, `${browser.server.wsUrl}/bulk?run=${run}-flood`);
    await flood.send(['2000x16384']);
    await waitFor('the page receiving 2,000 messages', async () => (await flood.receivedCount()) === 2_000, { timeoutMs: 60_000 });
    await selectSocket(panel, flood.url);
    await shownCount(panel, 2_001);
    const flooded = await summaryFacts(panel);
    expect(flooded['Not kept'], 'nothing the panel lacks').toBeUndefined();
    expect(leadingNumber(flooded['Kept in part']), 'messages that crossed as previews, counted').toBeGreaterThan(0);

    // One message of 100 MiB: the page gets it whole; the panel, its first 1 MiB, and says so.
    const huge = await PageSocket.open(page, `${browser.server.wsUrl}/bulk?run=${run}-huge`);
    await huge.send([`1x${100 * 1024 * 1024}`]);
    await waitFor('the page receiving it whole', async () => (await huge.receivedLengths())[0] === 100 * 1024 * 1024, { timeoutMs: 60_000 });
    await selectSocket(panel, huge.url);
    await shownCount(panel, 2);
    expect(leadingNumber((await summaryFacts(panel))['Kept in part'])).toBe(1);
  });

  test("200 sockets open at once (Firefox's most): each is listed, greeted and closed, and the log counts them all", async ({ browser }) => {
    const run = token();
    const { page, panel } = await browser.inspect(run);
    const count = 200;
    const closed = await page.evaluate<number[]>(`(async () => {
      const sockets = Array.from({ length: ${count} }, (_, i) => new WebSocket(${JSON.stringify(`${browser.server.wsUrl}/echo?greet=`)} + '${run}-' + i));
      // Each one's greeting, then each closed.
      await Promise.all(sockets.map((ws) => new Promise((resolve, reject) => {
        ws.onmessage = resolve;
        ws.onerror = () => reject(new Error('socket ' + ws.url + ' failed'));
      })));
      return Promise.all(sockets.map((ws) => new Promise((resolve) => { ws.onclose = (event) => resolve(event.code); ws.close(1000); })));
    })()`);
    expect(new Set(closed)).toEqual(new Set([1000]));
    await waitFor(
      `the toolbar counting ${count} sockets and their greetings`,
      async () => ungrouped((await textOf(panel, 'log-size')) ?? '') === `${count} sockets · ${count} messages`,
      { timeoutMs: 30_000 },
    );
    // The list shows them closed (it draws only the rows in view).
    await waitFor('the listed sockets closed with 1000', async () => {
      const rows = await rowTexts(panel, 'socket-row');
      return rows.length > 0 && rows.every((row) => row.includes(run) && row.includes('1000'));
    });
  });
});

