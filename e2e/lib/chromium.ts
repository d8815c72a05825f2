// Chromium with the unpacked extension, optionally with the real DevTools
// window open on every tab (see /work/shared/BROWSERS.md).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { CHROMIUM_PATH, HEADLESS } from './paths';
import { waitFor } from './wait';

export interface ChromiumOptions {
  /** Directory of an unpacked extension to load (e.g. dist/chrome). */
  extension?: string;
  /**
   * Open a DevTools window for every tab and expose the debugging port, so
   * the harness can drive DevTools itself over CDP.
   */
  devtools?: boolean;
  /** Default: headless unless SOCKSCOPE_HEADED=1. */
  headless?: boolean;
  /** Extra command-line flags. */
  args?: string[];
  /** Keep the back/forward cache, which Playwright turns off by default. */
  backForwardCache?: boolean;
}

export interface ChromiumSession {
  context: BrowserContext;
  /** The loaded extension's id, read from its service worker's URL; null without an extension. */
  extensionId: string | null;
  /** The --remote-debugging-port Chromium picked; null without `devtools`. */
  debuggingPort: number | null;
  /** Closes the browser and deletes its profile. */
  close(): Promise<void>;
}

const BASE_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export async function launchChromium(options: ChromiumOptions = {}): Promise<ChromiumSession> {
  const profile = mkdtempSync(join(tmpdir(), 'sockscope-chromium-'));
  const args = [...BASE_ARGS, ...(options.args ?? [])];
  if (options.extension) {
    const dir = resolve(options.extension);
    args.push(`--disable-extensions-except=${dir}`, `--load-extension=${dir}`);
  }
  // Port 0: Chromium picks a free port and writes it to <profile>/DevToolsActivePort.
  if (options.devtools) args.push('--auto-open-devtools-for-tabs', '--remote-debugging-port=0');

  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: options.headless ?? HEADLESS,
      args,
      // Playwright adds --disable-extensions by default.
      ignoreDefaultArgs: [...(options.extension ? ['--disable-extensions'] : []), ...(options.backForwardCache ? ['--disable-back-forward-cache'] : [])],
      viewport: null,
    });
  } catch (error) {
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
  const removeProfile = () => rmSync(profile, { recursive: true, force: true });
  // On Ctrl+C Playwright closes the browser and exits the process itself
  // (code 130) before any close() of ours could run: clean up on the way out.
  process.once('exit', removeProfile);
  const close = async () => {
    await context.close().catch(() => {});
    process.off('exit', removeProfile);
    removeProfile();
  };

  try {
    const extensionId = options.extension ? await extensionIdOf(context) : null;
    const debuggingPort = options.devtools ? await activePort(profile) : null;
    return { context, extensionId, debuggingPort, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** An MV3 extension's background service worker runs at chrome-extension://<id>/…. */
async function extensionIdOf(context: BrowserContext): Promise<string> {
  const worker = await waitFor(
    "the extension's background service worker (is the extension built and its manifest valid?)",
    () => context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://')),
    { timeoutMs: 20_000 },
  );
  return new URL(worker.url()).host;
}

async function activePort(profile: string): Promise<number> {
  return waitFor('Chromium to write DevToolsActivePort', () => {
    const port = Number(readFileSync(join(profile, 'DevToolsActivePort'), 'utf8').split('\n')[0]);
    return port > 0 ? port : null;
  });
}
