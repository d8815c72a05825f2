// Firefox has no WebSocketStream; Sockscope can provide one. Its oracle is
// Chromium's native WebSocketStream: every stream scenario runs natively in
// Chromium and against the provided implementation in Firefox, both from
// dist/shim.js with its option and from the extension with the panel's
// switch on, and the traces must be equal, up to the differences listed in
// KNOWN_DIFFERENCES.
//
// Traces hold the messages of the errors the implementation itself words
// (WebSocketError, AbortError, InvalidStateError); the engines word their own
// TypeErrors and SyntaxErrors differently, so only names compare for those.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { useChromium, useConformanceServer, useExtensionCopy, useFirefox } from '../fixtures';
import { openPanelPage, type FirefoxSession } from '../lib/firefox';
import { waitFor } from '../lib/wait';
import { DIST_FIREFOX, standaloneShim } from '../lib/paths';
import type { TraceEntry } from './page-tools';
import { ConformanceRunner, UNINSTRUMENTED_HOSTS } from './run';
import { chromiumScenarioTabs, firefoxScenarioTabs } from './scenario-pages';
import type { Scenario } from './scenario';
import type { ScenarioTabs } from './scenario-tabs';
import { streamScenarios } from './scenarios/stream';
import { HOSTS } from './server';

const MESSAGES = ['WebSocketError', 'AbortError', 'InvalidStateError'];

/** Where the provided implementation differs from Chromium 156's on purpose: what Firefox's trace is instead of Chromium's. */
const KNOWN_DIFFERENCES: Record<string, { why: string; expected: (chromium: TraceEntry[]) => TraceEntry[] }> = {
  'WebSocketStream: messages the server sent before closing are still read after it closed': {
    why:
      'Chromium 156 loses the messages that had not yet entered its readable when the Close frame came (only the one its queue held is read); ' +
      'the standard enqueues every message received, and the provided stream loses none.',
    expected: (chromium) => [
      chromium[0],
      ...['m0', 'm1', 'm2'].map((value) => ({ label: 'read', value: { value: { done: false, value } } })),
      chromium[chromium.length - 1],
    ],
  },
  'WebSocketError constructed with a fractional code': {
    why: 'WebIDL [Clamp] rounds 4999.5 to the even 5000, not a valid close code; Chromium 156 truncates it to 4999.',
    expected: () => [{ label: 'new threw', value: { $: 'error', class: 'DOMException', name: 'InvalidAccessError', code: 15 } }],
  },
};

/** Both engines say "[native code]"; Blink writes "function get url() { [native code] }", Gecko "function url() {\n    [native code]\n}". */
const NATIVE_SOURCE = /^function (?:get |set )?([\w$]*)\(\) \{\s*\[native code\]\s*\}$/;

function normalize(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(NATIVE_SOURCE, 'function $1() { [native code] }');
  if (Array.isArray(value)) return value.map(normalize);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalize(v)]));
  return value;
}

describe('WebSocketStream provided in Firefox against the native one in Chromium', () => {
  const server = useConformanceServer();
  const chromium = useChromium();
  const firefox = useFirefox({ extension: useExtensionCopy(DIST_FIREFOX, UNINSTRUMENTED_HOSTS) });
  let native: ConformanceRunner;
  let provided: ConformanceRunner;

  let tabs: ScenarioTabs[] = [];

  beforeAll(async () => {
    await switchProvideOn(firefox(), `${server().pageOrigin(HOSTS.extension)}/page.html?scenario=switch`);
    tabs = [
      await chromiumScenarioTabs(chromium().context),
      await firefoxScenarioTabs(firefox().browser, `globalThis.sockscopeOptions = { provideWebSocketStream: true };\n${standaloneShim()}`),
      await firefoxScenarioTabs(firefox().browser),
    ];
    native = new ConformanceRunner('chromium', server(), { native: tabs[0] }, MESSAGES);
    provided = new ConformanceRunner('firefox', server(), { standalone: tabs[1], extension: tabs[2] }, MESSAGES);
    await native.checkInstrumentation();
    await provided.checkInstrumentation();
  });

  afterAll(async () => {
    // The browsers serve the specs that follow.
    await Promise.all(tabs.map((pair) => pair.close()));
  });

  const compare = async (scenario: Scenario, next: Scenario | undefined) => {
    const [chromiumTraces, traces] = await Promise.all([native.run(scenario, { next }), provided.run(scenario, { next })]);
    const chromiumTrace = normalize(chromiumTraces.native) as TraceEntry[];
    expect(chromiumTrace.length, 'the scenario logged nothing').toBeGreaterThan(0);
    const known = KNOWN_DIFFERENCES[scenario.name];
    const expected = known ? known.expected(chromiumTrace) : chromiumTrace;
    expect(normalize(traces.standalone), known?.why ?? 'dist/shim.js with provideWebSocketStream').toEqual(expected);
    expect(normalize(traces.extension), known?.why ?? 'the extension with its switch on').toEqual(expected);
  };

  streamScenarios.forEach((scenario, i) => test(scenario.name, () => compare(scenario, streamScenarios[i + 1])));
});

/** Turns "Provide WebSocketStream" on for `url`'s origin through the panel, as a user would, on a tab showing `url`. */
async function switchProvideOn(firefox: FirefoxSession, url: string): Promise<void> {
  const page = await firefox.browser.newPage();
  await page.goto(url, { waitUntil: 'load' });
  const panel = await openPanelPage(firefox, url);
  const toggle = JSON.stringify('[data-testid=provide-websocket-stream]');
  await waitFor('the switch, enabled', () => panel.evaluate<boolean>(`document.querySelector(${toggle})?.disabled === false`));
  await panel.evaluate(`document.querySelector(${toggle}).checked || document.querySelector(${toggle}).click()`);
  await waitFor('the switch on', () => panel.evaluate<boolean>(`document.querySelector(${toggle})?.checked === true`));
  await panel.page.close();
  await page.close();
}
