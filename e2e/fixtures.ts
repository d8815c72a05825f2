// The one server and browser set-up of the e2e tests.
//
// `use…` start what a spec file (or a describe block) needs before its tests
// and close it after them, last started first closed.
//
// The panel specs (panel/) share their browsers instead: `describeInBrowsers`
// and `describeIn` run tests in Chromium with the real DevTools window and in
// Firefox with the panel as a tab, each with its demo server, started once for
// the whole run (vitest worker fixtures; the config runs every spec in one
// worker). Starting them per spec file would cost more than most specs take.
import type { Page as PlaywrightPage } from 'playwright-core';
import type { Page as PuppeteerPage } from 'puppeteer-core';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { startConformanceServer } from './conformance/server';
import { startDemoServer, type DemoServer } from './demo/server';
import { launchChromium, type ChromiumOptions, type ChromiumSession } from './lib/chromium';
import { openSockscopeInDevTools, type DevToolsPanel, type Evaluator } from './lib/devtools';
import { prepareExtension } from './lib/extension-copy';
import { launchFirefox, openPanelPage, type ExtensionPage, type FirefoxOptions, type FirefoxSession } from './lib/firefox';
import { pageEvaluator } from './lib/page-socket';
import { DIST_CHROME, DIST_FIREFOX } from './lib/paths';
import { token } from './lib/traffic';

interface Closable {
  close(): Promise<void> | void;
}

/** Starts `start()` before the tests of the enclosing file or describe block and closes it after them; the getter reads it. */
function hold<T extends Closable>(what: string, start: () => Promise<T>): () => T {
  let value: T | undefined;
  beforeAll(async () => {
    value = await start();
  });
  afterAll(async () => {
    await value?.close();
  });
  return () => {
    if (!value) throw new Error(`${what} is read before its beforeAll ran (or after it failed)`);
    return value;
  };
}

export const useDemoServer = () => hold('the demo server', () => startDemoServer());
export const useConformanceServer = () => hold('the conformance server', startConformanceServer);
export const useChromium = (options?: ChromiumOptions) => hold('Chromium', () => launchChromium(options));
export const useFirefox = (options: FirefoxOptions) => hold('Firefox', () => launchFirefox(options));

/** A copy of the build `dist` whose content scripts skip `hosts` (lib/extension-copy.ts), removed after the tests. */
export function useExtensionCopy(dist: string, hosts: string[]): string {
  const copy = prepareExtension(dist, hosts);
  afterAll(() => copy.remove());
  return copy.dir;
}

/** What the panel specs need of a tab: both browsers' pages navigate and reload alike. */
interface TabControl {
  goto(url: string): Promise<unknown>;
  reload(): Promise<unknown>;
}

export interface Inspected<Tab extends TabControl, Panel extends Evaluator> {
  /** The page under test: the browser's own page object. */
  tab: Tab;
  /** The same page, evaluated in its main world. */
  page: Evaluator;
  /** The fixture page's URL, unique to the run. */
  url: string;
  panel: Panel;
}

/** A browser with the built extension, and the demo server its pages come from. */
export interface PanelBrowser<Tab extends TabControl = TabControl, Panel extends Evaluator = Evaluator> {
  server: DemoServer;
  /** A new tab on a demo page (the bare test page by default), its URL unique to `run`. */
  openTab(run: string, path?: string): Promise<{ tab: Tab; page: Evaluator; url: string }>;
  /** Sockscope's panel inspecting the tab that shows `url`. */
  openPanel(url: string): Promise<Panel>;
  /** A new tab on a demo page, and a panel inspecting it. */
  inspect(run: string, path?: string): Promise<Inspected<Tab, Panel>>;
}

export interface ChromiumPanels extends PanelBrowser<PlaywrightPage, DevToolsPanel> {
  session: ChromiumSession;
}

export interface FirefoxPanels extends PanelBrowser<PuppeteerPage, ExtensionPage> {
  session: FirefoxSession;
}

/** The demo page `path` (the bare test page by default), its URL unique to the run, so that a tab can be found by URL. */
export const testPageUrl = (server: DemoServer, run: string, path = 'test.html'): string => `${server.url}${path}?run=${run}`;

/**
 * The panel specs' calls on one browser, for one test: the tabs and panels it opens close when it
 * ends. Left open, every later test would pay for them: each tab keeps its renderer (in Chromium its
 * DevTools window too), and finding a tab's DevTools window asks every open one.
 */
function panelBrowser<Tab extends TabControl & Closable, Panel extends Evaluator>(
  server: DemoServer,
  newTab: () => Promise<Tab & { evaluate(expression: string): Promise<unknown> }>,
  openPanel: (url: string) => Promise<Panel & Closable>,
  onCleanup: (cleanup: () => Promise<void>) => void,
): PanelBrowser<Tab, Panel> {
  const opened: Closable[] = [];
  onCleanup(async () => {
    // Panels first: a Chromium panel's window closes with its tab.
    for (const closable of opened.reverse()) await closable.close();
  });
  const openTab = async (run: string, path?: string) => {
    const tab = await newTab();
    opened.push(tab);
    const url = testPageUrl(server, run, path);
    await tab.goto(url);
    return { tab, page: pageEvaluator(tab), url };
  };
  const trackedPanel = async (url: string) => {
    const panel = await openPanel(url);
    opened.push(panel);
    return panel;
  };
  return {
    server,
    openTab,
    openPanel: trackedPanel,
    async inspect(run, path) {
      const tab = await openTab(run, path);
      return { ...tab, panel: await trackedPanel(tab.url) };
    },
  };
}

/** What a browser's worker fixture holds: the test fixture makes each test's PanelBrowser from it. */
interface LaunchedPanels<Tab, Panel, Session> {
  server: DemoServer;
  session: Session;
  newTab(): Promise<Tab & { evaluate(expression: string): Promise<unknown> }>;
  openPanel(url: string): Promise<Panel & Closable>;
}

/** A browser with the extension, and a demo server, both closed by `onCleanup`. */
async function launchChromiumPanels(onCleanup: (cleanup: () => Promise<void>) => void): Promise<LaunchedPanels<PlaywrightPage, DevToolsPanel, ChromiumSession>> {
  const server = await startDemoServer();
  let session: ChromiumSession | undefined;
  onCleanup(async () => {
    await session?.close();
    await server.close();
  });
  const launched = (session = await launchChromium({ extension: DIST_CHROME, devtools: true }));
  return {
    server,
    session: launched,
    newTab: () => launched.context.newPage(),
    openPanel: (url) => openSockscopeInDevTools(launched.debuggingPort!, launched.extensionId!, url),
  };
}

async function launchFirefoxPanels(onCleanup: (cleanup: () => Promise<void>) => void): Promise<LaunchedPanels<PuppeteerPage, ExtensionPage, FirefoxSession>> {
  const server = await startDemoServer();
  let session: FirefoxSession | undefined;
  onCleanup(async () => {
    await session?.close();
    await server.close();
  });
  const launched = (session = await launchFirefox({ extension: DIST_FIREFOX }));
  return {
    server,
    session: launched,
    newTab: () => launched.browser.newPage(),
    openPanel: async (url) => {
      const panel = await openPanelPage(launched, url);
      return { ...panel, close: () => panel.page.close() };
    },
  };
}

const chromiumPanels = (chromium: LaunchedPanels<PlaywrightPage, DevToolsPanel, ChromiumSession>, onCleanup: (cleanup: () => Promise<void>) => void): ChromiumPanels => ({
  ...panelBrowser(chromium.server, chromium.newTab, chromium.openPanel, onCleanup),
  session: chromium.session,
});
const firefoxPanels = (firefox: LaunchedPanels<PuppeteerPage, ExtensionPage, FirefoxSession>, onCleanup: (cleanup: () => Promise<void>) => void): FirefoxPanels => ({
  ...panelBrowser(firefox.server, firefox.newTab, firefox.openPanel, onCleanup),
  session: firefox.session,
});

const panelTest = test
  .extend('chromium', { scope: 'worker' }, ({}, { onCleanup }) => launchChromiumPanels(onCleanup))
  .extend('firefox', { scope: 'worker' }, ({}, { onCleanup }) => launchFirefoxPanels(onCleanup));

const chromiumTest = panelTest.extend('browser', ({ chromium }, { onCleanup }) => chromiumPanels(chromium, onCleanup));
const firefoxTest = panelTest.extend('browser', ({ firefox }, { onCleanup }) => firefoxPanels(firefox, onCleanup));

// A browser of the test's own, for a test that leaves one too busy for the tests after it (thousands of
// sockets): its tabs close with it.
const noCleanup = () => {};
const ownChromiumTest = test.extend('browser', async ({}, { onCleanup }) => chromiumPanels(await launchChromiumPanels(onCleanup), noCleanup));
const ownFirefoxTest = test.extend('browser', async ({}, { onCleanup }) => firefoxPanels(await launchFirefoxPanels(onCleanup), noCleanup));

/** A test function whose context holds `browser`; `timeout` in ms, where the suite's default is too short. */
export type PanelTest<B extends PanelBrowser> = (name: string, fn: (context: { browser: B }) => Promise<void>, timeout?: number) => void;

const BROWSERS: { Chromium: PanelTest<ChromiumPanels>; Firefox: PanelTest<FirefoxPanels> } = { Chromium: chromiumTest, Firefox: firefoxTest };
const OWN_BROWSERS: typeof BROWSERS = { Chromium: ownChromiumTest, Firefox: ownFirefoxTest };

/** Steps on a new tab of a demo page (`run` makes its URL unique) with a panel inspecting it. */
export type PanelScenario = (page: Evaluator, panel: Evaluator, server: DemoServer, run: string) => Promise<void>;

/** A test's body: `scenario` on a new tab of the bare test page, inspected. */
export const onInspectedTab =
  (scenario: PanelScenario) =>
  async ({ browser }: { browser: PanelBrowser }): Promise<void> => {
    const run = token();
    const { page, panel } = await browser.inspect(run);
    await scenario(page, panel, browser.server, run);
  };

/** Defines the tests of `body` once in each browser, in a describe block named for it. */
export function describeInBrowsers(body: (test: PanelTest<PanelBrowser>) => void): void {
  for (const [name, browserTest] of Object.entries(BROWSERS)) describe(name, () => body(browserTest));
}

/** Defines the tests of `body` in one browser only: the feature, or what the test needs of it, exists there alone. `ownBrowser`: each test launches one of its own. */
export function describeIn<N extends keyof typeof BROWSERS>(name: N, body: (test: (typeof BROWSERS)[N]) => void, { ownBrowser = false } = {}): void {
  describe(name, () => body((ownBrowser ? OWN_BROWSERS : BROWSERS)[name]));
}
