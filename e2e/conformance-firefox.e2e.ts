// The WebSocket conformance suite in Firefox (see e2e/conformance/).
import type { Page } from 'puppeteer-core';
import { launchFirefox } from './lib/firefox';
import { DIST_FIREFOX, standaloneShim } from './lib/paths';
import { conformanceSuite } from './conformance/suite';
import type { ScenarioPage } from './conformance/run';

const adapt = (page: Page): ScenarioPage => ({
  activate: () => page.bringToFront(),
  goto: async (url) => void (await page.goto(url, { waitUntil: 'load' })),
  evaluate: <T>(expression: string) => page.evaluate(expression) as Promise<T>,
});

conformanceSuite('firefox', DIST_FIREFOX, async (extension) => {
  const session = await launchFirefox({ extension });
  const [native, standalone, ext] = [await session.browser.newPage(), await session.browser.newPage(), await session.browser.newPage()];
  await standalone.evaluateOnNewDocument(standaloneShim());
  return { pages: { native: adapt(native), standalone: adapt(standalone), extension: adapt(ext) }, close: () => session.close() };
});
