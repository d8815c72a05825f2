// The test helper installs like any package: packed from a copy of the
// working tree as a fresh clone has it (so `prepack` builds what the package
// holds), installed from the tarball into a new project outside this
// repository, and used there by a real @playwright/test spec, type-checked,
// against the demo server. The new project takes @playwright/test from this
// repository's own install rather than downloading it again.
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, test } from 'vitest';
import { testPageUrl, useDemoServer } from '../fixtures';
import { CHROMIUM_PATH, REPO_ROOT } from '../lib/paths';
import { echoUrl } from '../lib/traffic';

const server = useDemoServer();
const work = mkdtempSync(join(tmpdir(), 'sockscope-package-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs a command, failing with what it printed. */
async function run(file: string, args: string[], cwd: string): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)(file, args, { cwd, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, CI: '1' } });
    return stdout;
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${file} ${args.join(' ')} failed in ${cwd}:\n${stdout ?? ''}\n${stderr ?? ''}`);
  }
}

/** The files a fresh clone has (tracked, and new ones not ignored), copied; node_modules linked. */
async function workingTreeCopy(): Promise<string> {
  const source = join(work, 'source');
  const files = (await run('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], REPO_ROOT)).split('\0').filter(Boolean);
  // A tracked file deleted in the working tree is listed too: it is not copied.
  for (const file of files.filter((file) => existsSync(join(REPO_ROOT, file)))) {
    mkdirSync(dirname(join(source, file)), { recursive: true });
    cpSync(join(REPO_ROOT, file), join(source, file));
  }
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(source, 'node_modules'), 'dir');
  return source;
}

/** A spec as a user writes it, against the demo server's echo socket: rules from install time, then the recorded messages. */
const spec = (page: string, socket: string) => `import { expect, test } from '@playwright/test';
import { sockscope, type SockscopeOptions } from 'sockscope/playwright';

const options: SockscopeOptions = { rules: [{ match: /\\/echo/, down: { latencyMs: 300 } }] };

test('the installed helper shapes and records the page\\'s socket', async ({ page }) => {
  const scope = await sockscope(page, options);
  await page.goto(${JSON.stringify(page)});
  const greetedAfterMs = await page.evaluate(async (url: string) => {
    const start = performance.now();
    const ws = new WebSocket(url);
    await new Promise((resolve) => ws.addEventListener('message', resolve, { once: true }));
    return performance.now() - start;
  }, ${JSON.stringify(socket)});
  expect(greetedAfterMs).toBeGreaterThanOrEqual(290);
  const socket = await scope.socket('/echo');
  expect((await scope.messages(socket.id)).map(({ direction, data }) => direction + ' ' + data)).toEqual(['receive from-the-package']);
});
`;

test('npm pack makes a package a project elsewhere installs, type-checks against and runs with @playwright/test', async () => {
  const source = await workingTreeCopy();
  // prepack builds dist/ in the copy: the package holds what a fresh clone packs.
  const tarball = join(work, (await run('npm', ['pack', '--pack-destination', work, '--silent'], source)).trim().split('\n').at(-1)!);

  const project = join(work, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'uses-sockscope', private: true, type: 'module' }));
  // The tarball has no dependencies (its peers are optional): nothing is fetched.
  await run('npm', ['install', '--offline', '--no-audit', '--no-fund', tarball], project);
  for (const name of ['@playwright/test', '@types/node']) {
    mkdirSync(dirname(join(project, 'node_modules', name)), { recursive: true });
    symlinkSync(join(REPO_ROOT, 'node_modules', name), join(project, 'node_modules', name), 'dir');
  }
  writeFileSync(join(project, 'sockscope.spec.ts'), spec(testPageUrl(server(), 'package'), echoUrl(server(), 'from-the-package')));
  writeFileSync(
    join(project, 'playwright.config.ts'),
    `export default { testDir: '.', workers: 1, reporter: 'line', use: { launchOptions: { executablePath: ${JSON.stringify(CHROMIUM_PATH)} } } };\n`,
  );

  // The package's types: its exports lead TypeScript to them, as in any project.
  const tsc = join(REPO_ROOT, 'node_modules/typescript/bin/tsc');
  // prettier-ignore
  await run(process.execPath, [tsc, '--noEmit', '--strict', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--lib', 'es2022,dom', '--types', 'node', 'sockscope.spec.ts'], project);
  const output = await run(process.execPath, [join(project, 'node_modules/@playwright/test/cli.js'), 'test'], project);
  expect(output).toMatch(/1 passed/);
});
