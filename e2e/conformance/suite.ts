// One vitest suite per browser: every scenario, native against the shim.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { useConformanceServer, useExtensionCopy } from '../fixtures';
import { checkInvariants, describeViolations, type InvariantName } from './invariants';
import type { BrowserName, Config, TraceEntry } from './page-tools';
import { ConformanceRunner, UNINSTRUMENTED_HOSTS } from './run';
import type { Scenario } from './scenario';
import type { ScenarioTabs } from './scenario-tabs';
import { scenarios } from './scenarios';
import { streamScenarios } from './scenarios/stream';
import { runsInWorkers } from './workers';

/** CONFORMANCE_TRACE=<part of a name>: print the native trace of matching scenarios (to write new ones). */
const SHOW = process.env.CONFORMANCE_TRACE;

export interface LaunchedBrowser {
  /** The overStream configuration only where the browser has a native WebSocketStream to carry sockets. */
  tabs: Record<Exclude<Config, 'overStream'>, ScenarioTabs> & { overStream?: ScenarioTabs };
  close(): Promise<void>;
}

/** What the overStream configuration's trace must be, given native's: native's, up to differences known and explained. */
export type OverStreamExpectation = (native: TraceEntry[]) => { expected: TraceEntry[]; why: string };

/**
 * Violations the delayed configuration shows, each explained: a known limit of holding messages
 * (docs/limits.md), or native's own loss. Only these invariants may break, only in these scenarios.
 */
const KNOWN_DELAYED_VIOLATIONS: Record<string, { invariants: InvariantName[]; why: string }> = {
  'WebSocketStream: messages the server sent before closing are still read after it closed': {
    invariants: ['reads'],
    why: "Chromium 156 loses the messages not yet read from its stream when the server's Close arrives (see the cross-browser known differences); a delayed down link reads ahead of the page, so it gets them before the Close, as the standard says, and reads more than native",
  },
  'binaryType changed between messages applies to the next': {
    invariants: ['prelude'],
    why: "a held binary message keeps the type binaryType gave it on arrival; natively the message task reads binaryType when it runs, so a change made in the previous message's listener applies",
  },
};

/** `launch` starts the browser with the extension in `extensionDir` and opens one page per configuration. */
export function conformanceSuite(
  browser: BrowserName,
  dist: string,
  launch: (extensionDir: string) => Promise<LaunchedBrowser>,
  overStream: OverStreamExpectation = (native) => ({ expected: native, why: '' }),
): void {
  describe(`WebSocket conformance in ${browser}: the shim against the native object`, () => {
    const server = useConformanceServer();
    const extensionDir = useExtensionCopy(dist, UNINSTRUMENTED_HOSTS);
    let launched: LaunchedBrowser | undefined;
    let runner: ConformanceRunner;

    beforeAll(async () => {
      launched = await launch(extensionDir);
      runner = new ConformanceRunner(browser, server(), launched.tabs);
      await runner.checkInstrumentation();
      await runner.checkWorkers();
    });

    afterAll(async () => {
      await launched?.close();
    });

    const ours = scenarios.filter((s) => !s.only || s.only === browser);
    ours.forEach((scenario: Scenario, i) => {
      test(scenario.name, async () => {
        const traces = await runner.run(scenario, { inWorkers: runsInWorkers(scenario), next: ours[i + 1] });
        if (SHOW && scenario.name.includes(SHOW)) console.log(`${browser}: ${scenario.name}\n${JSON.stringify(traces.native, null, 1)}`);
        const native = traces.native as TraceEntry[];
        expect(native.length, 'the scenario logged nothing').toBeGreaterThan(0);
        expect(traces.standalone, 'dist/shim.js shaping every socket with zero delays').toEqual(native);
        expect(traces.extension, 'the extension').toEqual(native);
        if (traces.overStream) {
          const { expected, why } = overStream(native);
          expect(traces.overStream, `dist/shim.js carrying WebSocket over WebSocketStream${why && `, except: ${why}`}`).toEqual(expected);
        }
        if (traces.dedicatedNative) {
          // Each worker's trace equals the page's: the scenarios that run in workers (see workers.ts)
          // depend on nothing of their realm (constructor.ts, which stays out, has one that does: URL "" resolves against the realm's URL).
          expect(traces.dedicatedShim, 'dist/shim.js in a dedicated worker, shaping with zero delays').toEqual(traces.dedicatedNative);
          expect(traces.sharedShim, 'dist/shim.js in a shared worker, shaping with zero delays').toEqual(traces.sharedNative);
          expect(traces.dedicatedNative, 'a dedicated worker, as the page').toEqual(native);
          expect(traces.sharedNative, 'a shared worker, as the page').toEqual(native);
        }
        const kind = streamScenarios.includes(scenario) ? 'stream' : 'websocket';
        const known = KNOWN_DELAYED_VIOLATIONS[scenario.name];
        const violations = checkInvariants(native, traces.delayed as TraceEntry[], kind).filter((v) => !known?.invariants.includes(v.invariant));
        expect(describeViolations(scenario.name, violations), `dist/shim.js delaying every socket: the invariants hold${known ? `, except: ${known.why}` : ''}`).toBe('');
      });
    });
  });
}
