// The Firefox zip as addons.mozilla.org checks it: Mozilla's add-ons linter
// finds no error and no notice in it, and each warning it gives is one
// docs/store.md lists with the reason it stays.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';
import { distZip, REPO_ROOT } from '../lib/paths';

interface Finding {
  code: string;
  message: string;
  file?: string;
}

test('the Firefox zip passes the add-ons linter: no errors, no notices, only the warnings docs/store.md explains', async () => {
  const zip = distZip('firefox');
  expect(existsSync(zip), `${zip} (made by npm run package)`).toBe(true);
  const linter = join(REPO_ROOT, 'node_modules/addons-linter/bin/addons-linter');
  // It exits non-zero when it finds errors; its report is on stdout either way.
  const { stdout } = await promisify(execFile)(process.execPath, [linter, '--output', 'json', zip], { maxBuffer: 16 * 1024 * 1024 }).catch(
    (error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }),
  );
  const report = JSON.parse(stdout) as { errors: Finding[]; notices: Finding[]; warnings: Finding[] };
  const said = (findings: Finding[]) => findings.map(({ code, message, file }) => `${code} (${file ?? ''}): ${message}`);
  expect(said(report.errors)).toEqual([]);
  expect(said(report.notices)).toEqual([]);
  const explained = readFileSync(join(REPO_ROOT, 'docs/store.md'), 'utf8');
  expect(said(report.warnings.filter(({ code }) => !explained.includes(`\`${code}\``)))).toEqual([]);
});
