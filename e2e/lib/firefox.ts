// Firefox ESR with the unpacked extension, over WebDriver BiDi (puppeteer-core).
//
// Facts (Firefox ESR 153, puppeteer-core 25):
// - Firefox picks a random moz-extension:// UUID per profile unless the pref
//   `extensions.webextensions.uuids` already maps the add-on id to one, so the
//   harness chooses it up front.
// - BiDi refuses to navigate to moz-extension:// ("not allowed in this
//   context") unless Firefox runs with --remote-allow-system-access, and even
//   then puppeteer never sees that navigation finish: navigate without waiting
//   and poll the document instead.
// - An extension page opened as a tab has the `browser.*` APIs; the add-on is
//   granted its content-script host permissions on install, so
//   browser.tabs.query() shows the URL of the page under test.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { PANEL_PATH, type Evaluator } from './devtools';
import { FIREFOX_PATH, HEADLESS } from './paths';
import { waitFor } from './wait';

export interface FirefoxOptions {
  /** Directory of an unpacked extension whose manifest has browser_specific_settings.gecko.id. */
  extension: string;
  /** Default: headless unless SOCKSCOPE_HEADED=1. */
  headless?: boolean;
}

export interface FirefoxSession {
  browser: Browser;
  /** The add-on's gecko id. */
  extensionId: string;
  /** Origin of the extension's pages: `moz-extension://<uuid>`. */
  extensionOrigin: string;
  close(): Promise<void>;
}

export async function launchFirefox(options: FirefoxOptions): Promise<FirefoxSession> {
  const dir = resolve(options.extension);
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
    browser_specific_settings?: { gecko?: { id?: string } };
  };
  const id = manifest.browser_specific_settings?.gecko?.id;
  if (!id) throw new Error(`${dir}/manifest.json has no browser_specific_settings.gecko.id`);
  const uuid = randomUUID();

  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless: options.headless ?? HEADLESS,
    protocol: 'webDriverBiDi',
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: { 'extensions.webextensions.uuids': JSON.stringify({ [id]: uuid }) },
  });
  try {
    const installed = await browser.installExtension(dir);
    if (installed !== id) throw new Error(`installed add-on id ${installed}, expected ${id}`);
  } catch (error) {
    await browser.close();
    throw error;
  }
  return { browser, extensionId: id, extensionOrigin: `moz-extension://${uuid}`, close: () => browser.close() };
}

export interface ExtensionPage extends Evaluator {
  page: Page;
  /** The WebExtension tab id of the inspected page. */
  tabId: number;
}

/**
 * Opens the extension's panel as a tab, pointed at the tab showing `pageUrl`
 * (`panel/index.html?tabId=N`, as the panel expects outside DevTools).
 */
export async function openPanelPage(
  session: FirefoxSession,
  pageUrl: string,
  { timeoutMs = 30_000 } = {},
): Promise<ExtensionPage> {
  const page = await session.browser.newPage();
  const evaluate = <T>(expression: string) => page.evaluate(expression) as Promise<T>;
  const panelUrl = `${session.extensionOrigin}/${PANEL_PATH}`;

  // First load the panel without a tab, only to ask the WebExtension API which tab shows pageUrl.
  await openExtensionUrl(page, panelUrl, timeoutMs);
  const tabId = await waitFor(
    `a tab showing ${pageUrl} in browser.tabs.query()`,
    () =>
      evaluate<number | null>(`browser.tabs.query({}).then((tabs) =>
        tabs.find((tab) => tab.url === ${JSON.stringify(pageUrl)})?.id ?? null)`),
    { timeoutMs },
  );
  await openExtensionUrl(page, `${panelUrl}?tabId=${tabId}`, timeoutMs);
  return { page, tabId, evaluate };
}

async function openExtensionUrl(page: Page, url: string, timeoutMs: number): Promise<void> {
  await page.goto(url, { waitUntil: [] });
  await waitFor(
    `${url} to load`,
    () => page.evaluate(`location.href === ${JSON.stringify(url)} && document.readyState === 'complete'`),
    { timeoutMs },
  );
}
