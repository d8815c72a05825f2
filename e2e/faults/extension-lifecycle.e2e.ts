// The extension reloaded, disabled and enabled again under pages with open
// sockets: the pages' sockets go on working as before (old sockets and new
// ones), the page's console stays clean (the orphaned shim and bridge go
// quiet), and pages loaded afterwards are captured again.
import type { Page as PlaywrightPage } from 'playwright-core';
import type { Page as PuppeteerPage } from 'puppeteer-core';
import { expect, onTestFinished, test } from 'vitest';
import { testPageUrl, useDemoServer } from '../fixtures';
import { launchChromium } from '../lib/chromium';
import { openSockscopeInDevTools, type Evaluator } from '../lib/devtools';
import { launchFirefox, openPanelPage } from '../lib/firefox';
import { rowTexts, selectSocket, waitForMessages } from '../lib/panel';
import { PageSocket, pageEvaluator } from '../lib/page-socket';
import { DIST_CHROME, DIST_FIREFOX } from '../lib/paths';
import { echoUrl, token } from '../lib/traffic';
import { waitFor } from '../lib/wait';

const server = useDemoServer();

/** What the steps need of a browser: a tab whose console is watched, and the panel on a tab. */
interface Browser {
  /** A tab on the test page; its console errors and warnings, and uncaught errors, go to `problems`. */
  newTab(run: string, problems: string[]): Promise<{ page: Evaluator; url: string }>;
  openPanel(url: string): Promise<Evaluator & { close(): unknown }>;
}

/** Console messages of these types are problems: Playwright says 'warning', puppeteer 'warn'. */
const PROBLEM_TYPES = new Set(['error', 'warning', 'warn']);

/** Reports `tab`'s console problems and uncaught errors to `problems`, and goes to the test page. */
async function watched(
  tab: PlaywrightPage | PuppeteerPage,
  run: string,
  problems: string[],
): Promise<{ page: Evaluator; url: string }> {
  const onConsole = (message: { type(): string; text(): string }) => {
    if (PROBLEM_TYPES.has(message.type())) problems.push(`${run} ${message.type()}: ${message.text()}`);
  };
  const onError = (error: unknown) => problems.push(`${run} uncaught: ${error instanceof Error ? error.message : String(error)}`);
  // The two libraries type their events apart; both have these two.
  if ('context' in tab) tab.on('console', onConsole).on('pageerror', onError);
  else tab.on('console', onConsole).on('pageerror', onError);
  const url = testPageUrl(server(), run);
  await tab.goto(url);
  return { page: pageEvaluator(tab), url };
}

/** An open socket of the page, with its greeting received. */
async function openSocket(page: Evaluator, greeting: string): Promise<PageSocket> {
  const socket = await PageSocket.open(page, echoUrl(server(), greeting));
  await socket.waitForReceived([greeting]);
  return socket;
}

/** Each socket still carries messages both ways, and the page still opens new ones. */
async function stillWorking(page: Evaluator, sockets: PageSocket[], step: string): Promise<void> {
  for (const socket of sockets) {
    await socket.send([`after-${step}`]);
    await socket.waitForReceived([`after-${step}`]);
  }
  const fresh = await openSocket(page, `opened-after-${step}`);
  await fresh.send(['hello']);
  await fresh.waitForReceived(['hello']);
}

/** A page loaded now is captured: its socket shows in its panel, with its messages. */
async function captured(browser: Browser, run: string, problems: string[]): Promise<void> {
  const { page, url } = await browser.newTab(run, problems);
  const socket = await openSocket(page, `captured-${run}`);
  const panel = await browser.openPanel(url);
  await selectSocket(panel, socket.url);
  await waitForMessages(panel, { [`captured-${run}`]: 1 });
  panel.close();
}

/**
 * A page with an open socket, then each of `changes` made to the extension under it: after each,
 * the page's sockets still work and a page loaded afterwards is captured. Nothing in any page's console.
 */
async function survivesChanges(browser: Browser, changes: [name: string, change: () => Promise<void>][]): Promise<void> {
  const run = token();
  const problems: string[] = [];
  const { page } = await browser.newTab(`${run}-open`, problems);
  const sockets = [await openSocket(page, `${run}-before`)];
  await captured(browser, `${run}-first`, problems);
  for (const [name, change] of changes) {
    await change();
    await stillWorking(page, sockets, name);
    await captured(browser, `${run}-${name}`, problems);
  }
  expect(problems).toEqual([]);
}

test('Chromium: reloaded, then disabled and enabled again, the extension leaves open pages working and quiet, and captures new ones', async () => {
  const session = await launchChromium({ extension: DIST_CHROME, devtools: true });
  onTestFinished(() => session.close());
  const browser: Browser = {
    newTab: async (run, problems) => watched(await session.context.newPage(), run, problems),
    openPanel: (url) => openSockscopeInDevTools(session.debuggingPort!, session.extensionId!, url),
  };
  // The extensions page, in developer mode (without it, Chromium disables a reloaded unpacked extension).
  const extensions = await session.context.newPage();
  await extensions.goto('chrome://extensions');
  await extensions.evaluate('chrome.developerPrivate.updateProfileConfiguration({ inDeveloperMode: true })');
  const id = JSON.stringify(session.extensionId);
  const extensionWorker = () => session.context.serviceWorkers().find((sw) => sw.url().startsWith(`chrome-extension://${session.extensionId}/`));

  await survivesChanges(browser, [
    // As its Reload button does (an update replaces the extension the same way).
    [
      'reload',
      async () => {
        const before = extensionWorker();
        expect(before, "the extension's service worker").toBeDefined();
        await extensions.evaluate(`new Promise((resolve, reject) => chrome.developerPrivate.reload(${id}, { failQuietly: false }, () =>
          chrome.runtime.lastError ? reject(new Error(chrome.runtime.lastError.message)) : resolve()))`);
        await waitFor("the reloaded extension's new service worker", async () => (extensionWorker() ?? before) !== before);
      },
    ],
    [
      'disable-enable',
      async () => {
        await extensions.evaluate(`chrome.management.setEnabled(${id}, false)`);
        await waitFor("the disabled extension's service worker gone", async () => extensionWorker() === undefined);
        await extensions.evaluate(`chrome.management.setEnabled(${id}, true)`);
      },
    ],
  ]);
});

test('Firefox: reloaded, the extension leaves open pages working and quiet, and captures new ones', async () => {
  const session = await launchFirefox({ extension: DIST_FIREFOX });
  onTestFinished(() => session.close());
  const browser: Browser = {
    newTab: async (run, problems) => watched(await session.browser.newPage(), run, problems),
    openPanel: async (url) => {
      const panel = await openPanelPage(session, url);
      return { ...panel, close: () => panel.page.close() };
    },
  };
  // Installing a temporary add-on again is how about:debugging's Reload replaces it. (Disabling one is not
  // in WebDriver BiDi, and one removed and installed again gets a new moz-extension:// origin the harness
  // cannot learn.)
  await survivesChanges(browser, [['reload', async () => void (await session.browser.installExtension(DIST_FIREFOX))]]);
});

test('Chromium: a page restored from the back/forward cache shows each of its sockets once, as they are, with Preserve log off and on', async () => {
  // Playwright turns the cache off by default; the page is cacheable (a page served with no-store and a socket is not kept).
  const session = await launchChromium({ extension: DIST_CHROME, devtools: true, backForwardCache: true });
  onTestFinished(() => session.close());
  const run = token();
  const tab = await session.context.newPage();
  const page = pageEvaluator(tab);
  const url = `${testPageUrl(server(), run)}&cacheable`;
  await tab.goto(url);
  const panel = await openSockscopeInDevTools(session.debuggingPort!, session.extensionId!, url);
  const rows = () => rowTexts(panel, 'socket-row');

  for (const preserve of [false, true]) {
    const step = `${run}-${preserve ? 'preserved' : 'cleared'}`;
    if (preserve) await panel.evaluate(`document.querySelector('[data-testid=preserve-log]').click()`);
    // A page keeps no open socket in the cache: this one closes its socket as it leaves.
    const socket = await openSocket(page, `${step}-greeting`);
    await page.evaluate(`(addEventListener('pagehide', () => globalThis.__e2eSockets && Object.values(globalThis.__e2eSockets).forEach(({ ws }) => ws.close(1000))), addEventListener('pageshow', (event) => (globalThis.restored = event.persisted)), true)`);
    await selectSocket(panel, socket.url);

    await tab.goto(`${testPageUrl(server(), `${step}-elsewhere`)}&cacheable`);
    // A restore fires no load event: wait for the navigation only.
    await tab.goBack({ waitUntil: 'commit' });
    await waitFor('the page restored from the cache', () => page.evaluate<boolean | null>('globalThis.restored ?? null'));

    const after = await openSocket(page, `${step}-after`);
    await selectSocket(panel, after.url);
    // Each socket once: the one closed as the page left, shown closed, and the new one.
    await waitFor(`the sockets of ${step}, each once`, async () => {
      const listed = (await rows()).filter((row) => row.includes(step));
      return listed.length === 2 && listed.filter((row) => row.includes(`${step}-greeting`) && row.includes('1000')).length === 1;
    });
    await selectSocket(panel, socket.url);
    await waitForMessages(panel, { [`${step}-greeting`]: 1 });
  }
});
