// The WebSocket conformance suite in Firefox (see suite.ts and run.ts).
import { launchFirefox } from '../lib/firefox';
import { DIST_FIREFOX, standaloneShim } from '../lib/paths';
import { conformanceSuite } from './suite';
import { DELAYED_INIT, SHAPED_INIT } from './run';
import { firefoxScenarioPage as adapt } from './scenario-pages';

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
