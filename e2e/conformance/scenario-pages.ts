// A browser's page as the conformance runner drives it (ScenarioPage).
import type { Page as ChromiumPage } from 'playwright-core';
import type { Page as FirefoxPage } from 'puppeteer-core';
import type { ScenarioPage } from './run';

/**
 * Chromium runs with Playwright's flags against background throttling
 * (timers, renderers, occluded windows), so the tab that runs a scenario is
 * not brought to the front: doing so took a fifth of the suite's time.
 */
export const chromiumScenarioPage = (page: ChromiumPage): ScenarioPage => ({
  activate: async () => {},
  goto: async (url) => void (await page.goto(url)),
  evaluate: (expression) => page.evaluate(expression),
});

/** Firefox throttles a background tab's timers to 1 s: the tab that runs a scenario is brought to the front. */
export const firefoxScenarioPage = (page: FirefoxPage): ScenarioPage => ({
  activate: () => page.bringToFront(),
  goto: async (url) => void (await page.goto(url, { waitUntil: 'load' })),
  evaluate: <T>(expression: string) => page.evaluate(expression) as Promise<T>,
});
