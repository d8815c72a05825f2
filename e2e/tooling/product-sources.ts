// The product's TypeScript sources, for the tests that read them all.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The source files under `dir` (relative to the repository), tests and type tests left out. */
export function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) && !/\.test(-d)?\.tsx?$/.test(name) ? [path] : [];
  });
}

/** Every folder of product code: what runs in pages, workers, the extension, the panel and Node. */
export const PRODUCT_DIRS = ['shim', 'panel', 'extension', 'node'];
