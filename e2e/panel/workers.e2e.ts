// Worker sockets in the panel, with "Capture workers" on (the steps are lib/workers-scenario.ts).
// Chromium reaches dedicated workers (classic, module, nested, from blob: and data: URLs; a WebSocketStream
// in one too) and service workers through the debugger, which hears of no SharedWorker; Firefox reaches
// SharedWorkers and service workers too, through their scripts, but no worker whose script is no request
// (blob:, data:): their sockets are listed as not instrumented.
import { describeIn, type PanelBrowser, type PanelTest } from '../fixtures';
import { token } from '../lib/traffic';
import {
  cacheableWorkerCapturedAgain,
  composerSendsFromWorker,
  setCaptureWorkers,
  workerInTwoTabs,
  unregisterServiceWorkers,
  workerSocketOpened,
  workerSocketsCaptured,
  workerSocketsNotCaptured,
  workerSocketShapedAndExported,
  workerSocketsShown,
  workersUnseen,
  type WorkerName,
} from '../lib/workers-scenario';

function workerTests(test: PanelTest<PanelBrowser>, captured: WorkerName[]): void {
  test(`the sockets of ${captured.join(', ')} workers show with their messages, each marked with its worker's kind; the composer sends on one`, async ({ browser }) => {
    const run = token();
    const { tab, page, panel, url } = await browser.inspect(run);
    await setCaptureWorkers(panel, true, () => tab.reload());
    try {
      await workerSocketsCaptured(page, panel, browser.server, run, captured);
      await composerSendsFromWorker(panel, run, 'nested');
      await cacheableWorkerCapturedAgain(page, panel, () => tab.goto(`${url}&again`), browser.server, run);
    } finally {
      await unregisterServiceWorkers(page);
      await setCaptureWorkers(panel, false, () => tab.reload());
    }
  });

  test("a worker's socket: its consumer paused and stepped from the panel, and its messages in the HAR export", async ({ browser }) => {
    const run = token();
    const { tab, page, panel } = await browser.inspect(run);
    await setCaptureWorkers(panel, true, () => tab.reload());
    try {
      await workerSocketShapedAndExported(page, panel, browser.server, run);
    } finally {
      await setCaptureWorkers(panel, false, () => tab.reload());
    }
  });

  test("a worker's socket opened before the panel shows with its history once the panel opens", async ({ browser }) => {
    const run = token();
    const first = await browser.inspect(run);
    await setCaptureWorkers(first.panel, true, () => first.tab.reload());
    try {
      const { page, url } = await browser.openTab(`${run}-later`);
      await workerSocketOpened(page, browser.server, `${run}-later`);
      await workerSocketsShown(await browser.openPanel(url), `${run}-later`, ['classic']);
    } finally {
      await setCaptureWorkers(first.panel, false, () => first.tab.reload());
    }
  });
}

/** A worker of no single tab, in two tabs' panels: both browsers reach service workers, Firefox SharedWorkers too. */
function twoTabsTest(test: PanelTest<PanelBrowser>, name: 'shared' | 'service'): void {
  test(`a ${name} worker two tabs use shows its socket once in each tab's panel, and a rule set in one applies to it`, async ({ browser }) => {
    const run = token();
    const first = await browser.inspect(run);
    await setCaptureWorkers(first.panel, true, () => first.tab.reload());
    try {
      const second = await browser.inspect(`${run}-second`);
      await workerInTwoTabs(name, first.page, first.panel, second.page, second.panel, browser.server, run);
    } finally {
      await unregisterServiceWorkers(first.page);
      await setCaptureWorkers(first.panel, false, () => first.tab.reload());
    }
  });
}

/** With capture on, the workers Sockscope cannot reach in this browser: their sockets are still listed, from their handshakes. */
function unreachedTest(test: PanelTest<PanelBrowser>, names: WorkerName[]): void {
  test(`the sockets of ${names.join(', ')} workers, which Sockscope cannot reach here, are listed as not instrumented`, async ({ browser }) => {
    const run = token();
    const { tab, page, panel } = await browser.inspect(run);
    await setCaptureWorkers(panel, true, () => tab.reload());
    try {
      await workerSocketsNotCaptured(page, panel, browser.server, run, names);
    } finally {
      await unregisterServiceWorkers(page);
      await setCaptureWorkers(panel, false, () => tab.reload());
    }
  });
}

/**
 * The panel says which workers the page started that Sockscope does not see: with capture off, every
 * one; with it on, those this browser does not let it reach (`unseen`), not those it captures (`seen`).
 */
function unseenWorkersTests(test: PanelTest<PanelBrowser>, unseen: WorkerName[], seen: WorkerName[]): void {
  test('with Capture workers off, a classic worker and a SharedWorker are listed as workers Sockscope does not see, with their kind and script URL', async ({ browser }) => {
    const run = token();
    const { page, panel } = await browser.inspect(run);
    await workersUnseen(page, panel, browser.server, run, ['classic', 'shared'], []);
  });

  test(`with Capture workers on, ${unseen.join(', ')} workers are listed as workers Sockscope does not see, and ${seen.join(', ')} workers not`, async ({ browser }) => {
    const run = token();
    const { tab, page, panel } = await browser.inspect(run);
    await setCaptureWorkers(panel, true, () => tab.reload());
    try {
      await workersUnseen(page, panel, browser.server, run, unseen, seen);
    } finally {
      await setCaptureWorkers(panel, false, () => tab.reload());
    }
  });
}

describeIn('Chromium', (test) => {
  workerTests(test, ['classic', 'module', 'nested', 'stream', 'blob', 'data', 'service']);
  twoTabsTest(test, 'service');
  unseenWorkersTests(test, ['shared'], ['classic']);
});

describeIn('Firefox', (test) => {
  workerTests(test, ['classic', 'module', 'nested', 'shared', 'service']);

  twoTabsTest(test, 'shared');
  twoTabsTest(test, 'service');
  unreachedTest(test, ['blob', 'data']);
  unseenWorkersTests(test, ['blob'], ['classic']);

  test('with Capture workers turned on, then off again, the workers of the origin run as they are', async ({ browser }) => {
    const run = token();
    const { tab, page, panel } = await browser.inspect(run);
    await setCaptureWorkers(panel, true, () => tab.reload());
    try {
      await workerSocketsCaptured(page, panel, browser.server, `${run}-on`, ['classic']);
    } finally {
      await setCaptureWorkers(panel, false, () => tab.reload());
    }
    await workerSocketsNotCaptured(page, panel, browser.server, run, ['classic', 'module']);
  });
});
