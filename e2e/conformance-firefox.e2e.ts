// The WebSocket conformance suite in Firefox (see e2e/conformance/).
import type { Page } from 'puppeteer-core';
import { launchFirefox } from './lib/firefox';
import { DIST_FIREFOX, standaloneShim } from './lib/paths';
import { conformanceSuite } from './conformance/suite';
import { DELAYED_INIT, SHAPED_INIT, type ScenarioPage } from './conformance/run';

const adapt = (page: Page): ScenarioPage => ({
  activate: () => page.bringToFront(),
  goto: async (url) => void (await page.goto(url, { waitUntil: 'load' })),
  evaluate: <T>(expression: string) => page.evaluate(expression) as Promise<T>,
});

conformanceSuite('firefox', DIST_FIREFOX, async (extension) => {
  const session = await launchFirefox({ extension });
  const [native, standalone, ext, delayed] = [
    await session.browser.newPage(),
    await session.browser.newPage(),
    await session.browser.newPage(),
    await session.browser.newPage(),
  ];
  await standalone.evaluateOnNewDocument(`${standaloneShim()}\n${SHAPED_INIT}`);
  await delayed.evaluateOnNewDocument(`${standaloneShim()}\n${DELAYED_INIT}`);
  return {
    pages: { native: adapt(native), standalone: adapt(standalone), extension: adapt(ext), delayed: adapt(delayed) },
    close: () => session.close(),
  };
});
