// The WebSocket conformance suite in Chromium (see e2e/conformance/).
import { launchChromium } from './lib/chromium';
import { DIST_CHROME, standaloneShim } from './lib/paths';
import { conformanceSuite } from './conformance/suite';
import type { ScenarioPage } from './conformance/run';
import type { Page } from 'playwright-core';

const adapt = (page: Page): ScenarioPage => ({
  activate: () => page.bringToFront(),
  goto: async (url) => void (await page.goto(url)),
  evaluate: (expression) => page.evaluate(expression),
});

conformanceSuite('chromium', DIST_CHROME, async (extension) => {
  // gc() lets the lifetime scenarios collect what the page let go of.
  const session = await launchChromium({ extension, args: ['--js-flags=--expose-gc'] });
  const [native, standalone, ext] = [await session.context.newPage(), await session.context.newPage(), await session.context.newPage()];
  await standalone.addInitScript({ content: standaloneShim() });
  return { pages: { native: adapt(native), standalone: adapt(standalone), extension: adapt(ext) }, close: () => session.close() };
});
