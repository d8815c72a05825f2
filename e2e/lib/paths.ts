// Where things are, and which browsers the harness drives (Debian's packages;
// e2e/setup.mjs installs them when missing).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The build under test: `npm run build`'s output unless SOCKSCOPE_DIST names another. */
export const DIST = process.env.SOCKSCOPE_DIST ? resolve(process.env.SOCKSCOPE_DIST) : join(REPO_ROOT, 'dist');
export const DIST_CHROME = join(DIST, 'chrome');
export const DIST_FIREFOX = join(DIST, 'firefox');
/** The store zip `npm run package` makes of one browser's extension. */
export const distZip = (browser: 'chrome' | 'firefox'): string =>
  join(DIST, `sockscope-${browser}-${(JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version}.zip`);
/** The standalone dist/shim.js, to evaluate in a page before its scripts (Playwright `addInitScript({ content })`). */
export const standaloneShim = (): string => readFileSync(join(DIST, 'shim.js'), 'utf8');
export const OUT_DIR = fileURLToPath(new URL('../out/', import.meta.url));

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const FIREFOX_PATH = '/usr/bin/firefox-esr';

/** Headless unless SOCKSCOPE_HEADED=1 (and a display to show it on). */
export const HEADLESS = process.env.SOCKSCOPE_HEADED !== '1';
