// Worker sockets in the panel, with "Capture workers" on (the steps are lib/workers-scenario.ts).
import { describeIn } from '../fixtures';
import { token } from '../lib/traffic';
import { setCaptureWorkers, workerSocketsCaptured } from '../lib/workers-scenario';

describeIn('Firefox', (test) => {
  test("the sockets of dedicated (classic, module), nested and shared workers show with their messages, each marked with its worker's kind", async ({ browser }) => {
    const run = token();
    const { tab, page, panel } = await browser.inspect(run);
    await setCaptureWorkers(panel, true, () => tab.reload());
    try {
      await workerSocketsCaptured(page, panel, browser.server, run, ['classic', 'module', 'nested', 'shared']);
    } finally {
      await setCaptureWorkers(panel, false, () => tab.reload());
    }
  });
});
