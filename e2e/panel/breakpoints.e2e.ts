// Breakpoints from the panel in both browsers (the steps are lib/breakpoints-scenario.ts).
import { describeInBrowsers } from '../fixtures';
import { breakpointsHoldEditDropAndContinue } from '../lib/breakpoints-scenario';
import { token } from '../lib/traffic';

describeInBrowsers((test) => {
  test('Breakpoints: a send held, edited and forwarded with the sends behind it in order; a receive dropped; Continue all; still listed and holding after a reload; bad input refused', async ({ browser }) => {
    const run = token();
    const { tab, page, panel } = await browser.inspect(run);
    await breakpointsHoldEditDropAndContinue({ page, panel, server: browser.server, run, reload: () => tab.reload() });
  });
});
