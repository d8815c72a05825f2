// One vitest suite per browser: every scenario, native against the shim.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { prepareExtension } from '../lib/extension-copy';
import type { BrowserName, Config } from './page-tools';
import { ConformanceRunner, UNINSTRUMENTED_HOSTS, type ScenarioPage } from './run';
import { scenarios } from './scenarios';
import { startConformanceServer, type ConformanceServer } from './server';

/** CONFORMANCE_TRACE=<part of a name>: print the native trace of matching scenarios (to write new ones). */
const SHOW = process.env.CONFORMANCE_TRACE;

export interface LaunchedBrowser {
  pages: Record<Config, ScenarioPage>;
  close(): Promise<void>;
}

/** `launch` starts the browser with the extension in `extensionDir` and opens one page per configuration. */
export function conformanceSuite(
  browser: BrowserName,
  dist: string,
  launch: (extensionDir: string) => Promise<LaunchedBrowser>,
): void {
  describe(`WebSocket conformance in ${browser}: the shim against the native object`, () => {
    let server: ConformanceServer;
    let launched: LaunchedBrowser | undefined;
    let runner: ConformanceRunner;
    const extension = prepareExtension(dist, UNINSTRUMENTED_HOSTS);

    beforeAll(async () => {
      server = await startConformanceServer();
      launched = await launch(extension.dir);
      runner = new ConformanceRunner(browser, server, launched.pages);
      await runner.checkInstrumentation();
    });

    afterAll(async () => {
      await launched?.close();
      await server?.close();
      extension.remove();
    });

    for (const scenario of scenarios.filter((s) => !s.only || s.only === browser)) {
      test(scenario.name, async () => {
        const traces = await runner.run(scenario);
        if (SHOW && scenario.name.includes(SHOW)) console.log(`${browser}: ${scenario.name}\n${JSON.stringify(traces.native, null, 1)}`);
        expect(traces.native.length, 'the scenario logged nothing').toBeGreaterThan(0);
        expect(traces.standalone, 'dist/shim.js').toEqual(traces.native);
        expect(traces.extension, 'the extension').toEqual(traces.native);
        expect(traces.shaped, 'dist/shim.js shaping every socket with zero delays').toEqual(traces.native);
      });
    }
  });
}
