// Installs what a fresh machine lacks before anything else runs: the npm
// packages, and Debian's Chromium and Firefox ESR (the only browsers the
// harness drives; test tools may not download their own). Plain JavaScript
// with no dependencies, because it runs before node_modules exists. A fast
// no-op when everything is present.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BROWSERS = [
  { path: '/usr/bin/chromium', apt: 'chromium' },
  { path: '/usr/bin/firefox-esr', apt: 'firefox-esr' },
];

function run(command, args, env = {}) {
  console.log(`[setup] $ ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
}

const mtime = (path) => (existsSync(path) ? statSync(path).mtimeMs : null);

// npm rewrites node_modules/.package-lock.json on every install, so it is
// older than package-lock.json exactly when the lockfile changed since.
function installPackages() {
  const lock = mtime(`${ROOT}package-lock.json`);
  const installed = mtime(`${ROOT}node_modules/.package-lock.json`);
  if (installed !== null && (lock === null || installed >= lock)) return;
  const why = installed === null ? 'node_modules is missing' : 'package-lock.json is newer than node_modules';
  console.log(`[setup] ${why}: installing npm packages`);
  run('npm', lock === null ? ['install'] : ['ci'], { npm_config_fund: 'false', npm_config_audit: 'false' });
}

function installBrowsers() {
  const missing = BROWSERS.filter((b) => !existsSync(b.path));
  if (missing.length === 0) return;
  const packages = missing.map((b) => b.apt);
  const list = missing.map((b) => b.path).join(' and ');
  if (process.getuid?.() !== 0) {
    throw new Error(
      `missing ${list}; install as root (Debian/Ubuntu): sudo apt-get update && sudo apt-get install -y ${packages.join(' ')}`,
    );
  }
  console.log(`[setup] ${list} missing: installing ${packages.join(' ')} with apt-get`);
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update'], env);
  run('apt-get', ['install', '-y', ...packages], env);
  const still = BROWSERS.filter((b) => !existsSync(b.path)).map((b) => b.path);
  if (still.length > 0) throw new Error(`apt-get finished but ${still.join(' and ')} still missing`);
}

try {
  installPackages();
  installBrowsers();
} catch (error) {
  console.error(`[setup] ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
