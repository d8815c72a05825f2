// What happens to a page under the panel: it navigates in the middle of a
// flood. The panel stays consistent: each socket listed once, none shown open
// after its page went, every message the page received counted (shown, or
// said not kept), and "Preserve log" honoured.
import { expect } from 'vitest';
import { describeInBrowsers, testPageUrl } from '../fixtures';
import type { Evaluator } from '../lib/devtools';
import { click, leadingNumber, rowTexts, selectSocket, summaryFacts, textOf, ungrouped } from '../lib/panel';
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
