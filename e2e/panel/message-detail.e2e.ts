// A message in full, and payloads that try to be more than text, in both
// browsers (the steps are lib/messages-scenario.ts).
import { describeInBrowsers } from '../fixtures';
import { showsFramesInFull, survivesHostilePayloads } from '../lib/messages-scenario';
import { token } from '../lib/traffic';

describeInBrowsers((test) => {
  test('a frame in full: JSON tree with paths, ten thousand levels deep, a hex dump, the keyboard; markup stays text', async ({ browser }) => {
    const run = token();
    const { page, panel } = await browser.inspect(run);
    await showsFramesInFull(page, panel, browser.server, run);
  });

  test('hostile payloads stay text and the panel stays usable', async ({ browser }) => {
    const run = token();
    const { page, panel } = await browser.inspect(run);
    await survivesHostilePayloads(page, panel, browser.server, run);
  });
});
