// The WebSocket conformance suite in Firefox (see e2e/conformance/).
import { launchFirefox } from './lib/firefox';
import { DIST_FIREFOX, standaloneShim } from './lib/paths';
import { conformanceSuite } from './conformance/suite';
import { DELAYED_INIT, SHAPED_INIT } from './conformance/run';
import { firefoxScenarioPage as adapt } from './conformance/scenario-pages';

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
