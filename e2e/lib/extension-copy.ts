// A copy of a built extension whose content scripts skip some hosts, so that
// native baselines run in the same browser as the extension, from pages the
// shim never touches. Every script is byte-identical to the build; only the
// manifest gains `exclude_matches`.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface ContentScript {
  matches: string[];
  exclude_matches?: string[];
}

/** Copies `dist` (an unpacked extension) to a temporary directory whose content scripts skip `excludedHosts`. */
export function prepareExtension(dist: string, excludedHosts: string[]): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'sockscope-ext-copy-'));
  cpSync(dist, dir, { recursive: true });
  const manifestPath = join(dir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { content_scripts?: ContentScript[] };
  if (!manifest.content_scripts?.length) throw new Error(`${dist}/manifest.json declares no content scripts`);
  for (const script of manifest.content_scripts) {
    script.exclude_matches = [...(script.exclude_matches ?? []), ...excludedHosts.map((host) => `*://${host}/*`)];
  }
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

