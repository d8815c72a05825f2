// A browser's tabs as the conformance runner drives them (see scenario-tabs.ts).
// Configurations run a scenario at the same time, so each tab must be a
// visible one: hidden tabs get throttled timers (Firefox: 1 s at least).
import type { BrowserContext } from 'playwright-core';
import type { Browser as FirefoxBrowser } from 'puppeteer-core';
import { ScenarioTabs } from './scenario-tabs';

/** Chromium runs with Playwright's flags against background throttling (timers, renderers, occluded windows): tabs will do. */
export async function chromiumScenarioTabs(context: BrowserContext, init?: string): Promise<ScenarioTabs> {
  const open = async () => {
    const page = await context.newPage();
    if (init) await page.addInitScript({ content: init });
    return {
      goto: async (url: string) => void (await page.goto(url)),
      evaluate: <T>(expression: string) => page.evaluate<T>(expression),
      close: () => page.close(),
    };
  };
  return new ScenarioTabs([await open(), await open()]);
}

/** Firefox shows one tab per window: each page gets a window of its own. */
export async function firefoxScenarioTabs(browser: FirefoxBrowser, init?: string): Promise<ScenarioTabs> {
  const open = async () => {
    const page = await browser.newPage({ type: 'window' });
    if (init) await page.evaluateOnNewDocument(init);
    return {
      goto: async (url: string) => void (await page.goto(url, { waitUntil: 'load' })),
      evaluate: <T>(expression: string) => page.evaluate(expression) as Promise<T>,
      close: () => page.close(),
    };
  };
  return new ScenarioTabs([await open(), await open()]);
}
