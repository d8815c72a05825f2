// The WebSocket conformance suite in Chromium (see suite.ts and run.ts), with the
// classic-over-stream mode as a fifth configuration.
import { launchChromium } from '../lib/chromium';
import { DIST_CHROME, standaloneShim } from '../lib/paths';
import { conformanceSuite, type OverStreamExpectation } from './suite';
import { DELAYED_INIT, OVER_STREAM_INIT, SHAPED_INIT } from './run';
import { chromiumScenarioTabs as tabs } from './scenario-pages';

/**
 * The one way a WebSocket carried over a WebSocketStream can be told from the native one, and why
 * it cannot be otherwise: every scenario's trace must equal native's with its events untrusted.
 */
const overStream: OverStreamExpectation = (native) => ({
  expected: native.map((entry) => ({ label: entry.label, value: untrusted(entry.value) })),
  why:
    "the carried socket's open, message, error and close events are dispatched by the shim (the native socket under it is a " +
    'WebSocketStream, which fires no events), and no script can make a trusted event: their isTrusted is false',
});

function untrusted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(untrusted);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, key === 'isTrusted' ? false : untrusted(v)]));
}

conformanceSuite('chromium', DIST_CHROME, async (extension) => {
  // gc() lets the lifetime scenarios collect what the page let go of.
  const session = await launchChromium({ extension, args: ['--js-flags=--expose-gc'] });
  const { context } = session;
  return {
    tabs: {
      native: await tabs(context),
      standalone: await tabs(context, `${standaloneShim()}\n${SHAPED_INIT}`),
      extension: await tabs(context),
      delayed: await tabs(context, `${standaloneShim()}\n${DELAYED_INIT}`),
      overStream: await tabs(context, `${OVER_STREAM_INIT}\n${standaloneShim()}`),
    },
    close: () => session.close(),
  };
}, overStream);
