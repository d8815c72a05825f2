// The WebSocket conformance suite in Firefox (see suite.ts and run.ts).
import { launchFirefox } from '../lib/firefox';
import { DIST_FIREFOX, standaloneShim } from '../lib/paths';
import { conformanceSuite } from './suite';
import { DELAYED_INIT, SHAPED_INIT } from './run';
import { firefoxScenarioTabs as tabs } from './scenario-pages';

conformanceSuite('firefox', DIST_FIREFOX, async (extension) => {
  const session = await launchFirefox({ extension });
  const { browser } = session;
  return {
    tabs: {
      native: await tabs(browser),
      standalone: await tabs(browser, `${standaloneShim()}\n${SHAPED_INIT}`),
      extension: await tabs(browser),
      delayed: await tabs(browser, `${standaloneShim()}\n${DELAYED_INIT}`),
    },
    close: () => session.close(),
  };
});
