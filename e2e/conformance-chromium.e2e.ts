// The WebSocket conformance suite in Chromium (see e2e/conformance/).
import { launchChromium } from './lib/chromium';
import { DIST_CHROME, standaloneShim } from './lib/paths';
import { conformanceSuite } from './conformance/suite';
import { SHAPED_INIT, type ScenarioPage } from './conformance/run';
import type { Page } from 'playwright-core';

const adapt = (page: Page): ScenarioPage => ({
  activate: () => page.bringToFront(),
  goto: async (url) => void (await page.goto(url)),
  evaluate: (expression) => page.evaluate(expression),
});

conformanceSuite('chromium', DIST_CHROME, async (extension) => {
  // gc() lets the lifetime scenarios collect what the page let go of.
  const session = await launchChromium({ extension, args: ['--js-flags=--expose-gc'] });
  const [native, standalone, ext, shaped] = [
    await session.context.newPage(),
    await session.context.newPage(),
    await session.context.newPage(),
    await session.context.newPage(),
  ];
  await standalone.addInitScript({ content: standaloneShim() });
  await shaped.addInitScript({ content: `${standaloneShim()}\n${SHAPED_INIT}` });
  return {
    pages: { native: adapt(native), standalone: adapt(standalone), extension: adapt(ext), shaped: adapt(shaped) },
    close: () => session.close(),
  };
});
