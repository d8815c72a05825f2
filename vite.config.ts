// Builds everything `npm run build` promises:
//   dist/chrome/   unpacked extension for Chromium
//   dist/firefox/  unpacked extension for Firefox (same files, its own manifest)
//   dist/shim.js   standalone instrumented WebSocket for test automation
//   dist/playwright.js (+ dist/types/)  the Playwright helper, `sockscope/playwright`
//   dist/demo/protocols.js  the demo's protocols page: real client libraries (not shipped)
// and, with `--mode package`, store-ready zips of both extensions in dist/.
import { cpSync, existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, defineConfig, type Plugin } from 'vite';
import preact from '@preact/preset-vite';
import { zipSync } from 'fflate';

const DIST = 'dist';
const CHROME = join(DIST, 'chrome');
const FIREFOX = join(DIST, 'firefox');

/**
 * Classic scripts: content scripts and the background cannot be ES modules in
 * both browsers. `oneLine`: the engine workers run first goes on the first
 * line of a worker's script, so it is minified and may hold no line break
 * (the worker's own line numbers stay as they are).
 */
const SCRIPTS: { entry: string; out: string; dir: string; oneLine?: true }[] = [
  { entry: 'shim/entry/extension.ts', out: 'shim.js', dir: CHROME },
  { entry: 'shim/entry/worker.ts', out: 'worker-shim.js', dir: CHROME, oneLine: true },
  { entry: 'extension/content/bridge.ts', out: 'bridge.js', dir: CHROME },
  { entry: 'extension/content/provide-websocket-stream.ts', out: 'provide-websocket-stream.js', dir: CHROME },
  { entry: 'extension/content/websocket-over-stream.ts', out: 'websocket-over-stream.js', dir: CHROME },
  { entry: 'extension/content/await-rules.ts', out: 'await-rules.js', dir: CHROME },
  { entry: 'extension/background/router.ts', out: 'background.js', dir: CHROME },
  { entry: 'shim/entry/standalone.ts', out: 'shim.js', dir: DIST },
  // The Playwright helper puts this copy first on the first line of worker scripts (node/worker-scripts.ts).
  { entry: 'shim/entry/standalone.ts', out: 'shim-one-line.js', dir: DIST, oneLine: true },
];

type Manifest = Record<string, unknown> & { version: string; background: Record<string, unknown> };

/**
 * `data_collection_permissions`: addons.mozilla.org requires it of new add-ons; Sockscope collects and sends
 * nothing anywhere (what it records stays in the browser, in memory and in files the user exports). Firefox
 * reads the key from 140 on, and refuses a manifest with it before 128: so 140 is the minimum.
 */
const GECKO = { id: 'sockscope@sockscope.dev', strict_min_version: '140.0', data_collection_permissions: { required: ['none'] } };

/** One source manifest; per-browser differences are generated here. */
function manifestFor(browser: 'chrome' | 'firefox'): Manifest {
  const source = JSON.parse(readFileSync('manifest.json', 'utf8')) as Manifest;
  const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
  const manifest: Manifest = { ...source, version };
  if (browser === 'chrome') return manifest;
  // Firefox MV3 has no background service worker and ignores Chrome-only keys.
  const { service_worker: worker, ...background } = source.background;
  delete manifest.minimum_chrome_version;
  manifest.background = { ...background, scripts: [worker] };
  manifest.browser_specific_settings = { gecko: GECKO };
  // "Capture workers": Firefox has no chrome.debugger (and warns of a permission it does not know); it puts the
  // engine first in worker scripts as they arrive instead (extension/background/worker-scripts.ts); a service
  // worker's script only with the last permission.
  manifest.permissions = [
    ...(source.permissions as string[]).filter((permission) => permission !== 'debugger'),
    'webRequestBlocking',
    'webRequestFilterResponse',
    'webRequestFilterResponse.serviceWorkerScript',
  ];
  return manifest;
}

async function buildScript({ entry, out, dir, oneLine }: (typeof SCRIPTS)[number]): Promise<void> {
  await build({
    configFile: false,
    logLevel: 'warn',
    build: {
      outDir: dir,
      emptyOutDir: false,
      copyPublicDir: false,
      target: 'es2022',
      minify: oneLine === true,
      lib: { entry, formats: ['iife'], name: 'sockscope_bundle', fileName: () => out },
    },
  });
  if (!oneLine) return;
  const path = join(dir, out);
  const text = readFileSync(path, 'utf8').trimEnd();
  if (/[\r\n\u2028\u2029]/.test(text)) throw new Error(`${path} must be one line: a line break would move the worker's own line numbers`);
  writeFileSync(path, text);
}

/** The Playwright helper: an ES module for Node, beside dist/shim.js which it reads, and its typings. */
async function buildPlaywrightHelper(): Promise<void> {
  await build({
    configFile: false,
    logLevel: 'warn',
    build: {
      outDir: DIST,
      emptyOutDir: false,
      copyPublicDir: false,
      target: 'node20',
      minify: false,
      lib: { entry: 'node/playwright.ts', formats: ['es'], fileName: () => 'playwright.js' },
      rollupOptions: { external: [/^node:/] },
    },
  });
  const tsc = fileURLToPath(new URL('./node_modules/typescript/bin/tsc', import.meta.url));
  rmSync(join(DIST, 'types'), { recursive: true, force: true });
  // prettier-ignore
  execFileSync(process.execPath, [tsc, 'node/playwright.ts', '--declaration', '--emitDeclarationOnly', '--outDir', join(DIST, 'types'),
    '--target', 'es2022', '--module', 'esnext', '--moduleResolution', 'bundler', '--strict', '--skipLibCheck', '--lib', 'es2024,dom', '--types', 'node'], { stdio: 'inherit' });
  for (const file of listFiles(join(DIST, 'types'))) writeFileSync(file, withExtensions(file, readFileSync(file, 'utf8')));
}

/**
 * The declarations with each relative import naming its file (`./page-frames.js`): the sources import
 * without extensions, as the bundler allows, but a project resolving as Node does (`nodenext`) needs them.
 */
function withExtensions(file: string, text: string): string {
  return text.replace(/(\bfrom\s*|\bimport\s*\(\s*)(['"])(\.{1,2}\/[^'"]+)\2/g, (_match, before: string, quote: string, specifier: string) => {
    const target = join(dirname(file), specifier);
    if (existsSync(`${target}.d.ts`)) return `${before}${quote}${specifier}.js${quote}`;
    if (existsSync(join(target, 'index.d.ts'))) return `${before}${quote}${specifier}/index.js${quote}`;
    throw new Error(`${file}: cannot tell which file '${specifier}' names`);
  });
}

/** The demo's protocols page, with the client libraries it exercises bundled in. */
async function buildDemoProtocols(): Promise<void> {
  await build({
    configFile: false,
    logLevel: 'warn',
    build: {
      outDir: join(DIST, 'demo'),
      emptyOutDir: true,
      copyPublicDir: false,
      target: 'es2022',
      minify: false,
      lib: { entry: 'e2e/demo/protocols/page.ts', formats: ['es'], fileName: () => 'protocols.js' },
    },
  });
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

function zipDir(dir: string, zipPath: string): void {
  const files = Object.fromEntries(listFiles(dir).map((f) => [relative(dir, f), readFileSync(f)]));
  writeFileSync(zipPath, zipSync(files, { level: 9 }));
}

function extensionBuild(mode: string): Plugin {
  return {
    name: 'sockscope-extension',
    apply: 'build',
    async closeBundle() {
      for (const script of SCRIPTS) await buildScript(script);
      await buildPlaywrightHelper();
      await buildDemoProtocols();
      cpSync('extension/icons', join(CHROME, 'icons'), { recursive: true });
      rmSync(FIREFOX, { recursive: true, force: true });
      cpSync(CHROME, FIREFOX, { recursive: true });
      writeFileSync(join(CHROME, 'manifest.json'), JSON.stringify(manifestFor('chrome'), null, 2));
      writeFileSync(join(FIREFOX, 'manifest.json'), JSON.stringify(manifestFor('firefox'), null, 2));
      if (mode === 'package') {
        const { version } = manifestFor('chrome');
        for (const browser of ['chrome', 'firefox'] as const) {
          const zip = join(DIST, `sockscope-${browser}-${version}.zip`);
          zipDir(join(DIST, browser), zip);
          console.log(`packaged ${zip}`);
        }
      }
    },
  };
}

export default defineConfig(({ mode }) => ({
  plugins: [preact(), extensionBuild(mode)],
  base: './',
  build: {
    outDir: CHROME,
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: {
      input: {
        panel: 'panel/index.html',
        devtools: 'extension/devtools/devtools.html',
      },
    },
  },
  test: {
    include: ['shim/**/*.test.ts', 'node/**/*.test.ts', 'extension/**/*.test.ts', 'panel/**/*.test.{ts,tsx}', 'e2e/conformance/**/*.test.ts', 'e2e/tooling/**/*.test.ts'],
  },
}));
