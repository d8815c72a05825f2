// The messages filter, in both browsers (the steps are lib/messages-scenario.ts).
import { describeInBrowsers } from '../fixtures';
import { filtersALargeLog, filtersMessages } from '../lib/messages-scenario';
import { token } from '../lib/traffic';

describeInBrowsers((test) => {
  test("the messages filter: text and /regex/ highlighted, directions, heartbeats and the user's patterns, all sockets, chips, keyboard, a bad query, markup kept as text", async ({ browser }) => {
    const run = token();
    const { page, panel } = await browser.inspect(run);
    await filtersMessages(page, panel, browser.server, run);
  });

  test('a filter over a large log: the older part searched by the worker, its matches joined', async ({ browser }) => {
    const run = token();
    const { page, panel } = await browser.inspect(run);
    await filtersALargeLog(page, panel, browser.server, run);
  });
});
