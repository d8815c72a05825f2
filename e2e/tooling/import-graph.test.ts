// The folders say where code runs, and this test keeps them honest: page-world
// code (shim/) reaches nothing outside it, and the extension, the panel and the
// Node-side helpers take from shim/ only the shared contract (shim/wire/) and
// the rule language (shim/shaping/rule.ts, shim/talk-back/intercept-rule.ts),
// which are self-contained.
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';
import { ROOT, sources } from './product-sources';

const SHARED = ['shim/wire/', 'shim/shaping/rule.ts', 'shim/talk-back/intercept-rule.ts'];

/** Every module a file imports (static, dynamic, re-exports, and `new URL(…, import.meta.url)` workers), relative ones resolved to repository paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const specifiers = ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
  for (const match of text.matchAll(/new URL\(\s*['"](\.[^'"]+)['"]\s*,\s*import\.meta\.url/g)) specifiers.push(match[1]);
  return specifiers.map((specifier) => {
    if (!specifier.startsWith('.')) return specifier;
    const path = relative(ROOT, resolve(ROOT, dirname(file), specifier));
    for (const candidate of [path, `${path}.ts`, `${path}.tsx`]) {
      try {
        if (statSync(join(ROOT, candidate)).isFile()) return candidate;
      } catch {
        // Not this candidate: the next one.
      }
    }
    return path;
  });
}

const isShared = (path: string) => SHARED.some((shared) => (shared.endsWith('/') ? path.startsWith(shared) : path === shared));
const graph = (dir: string) => sources(dir).flatMap((file) => importsOf(file).map((target) => ({ file, target })));

describe('import graph', () => {
  test('page-world code imports nothing outside shim/, no package included', () => {
    const outside = graph('shim').filter(({ target }) => !target.startsWith('shim/'));
    expect(outside).toEqual([]);
  });

  test('the shared contract and the rule language import only each other', () => {
    const shared = sources('shim').filter(isShared);
    expect(shared.length).toBeGreaterThan(1);
    const leaks = shared.flatMap((file) => importsOf(file).map((target) => ({ file, target }))).filter(({ target }) => !isShared(target));
    expect(leaks).toEqual([]);
  });

  test.each(['extension', 'panel', 'node'])('%s/ takes from shim/ only the wire contract and the rule language', (dir) => {
    const edges = graph(dir);
    expect(edges.length).toBeGreaterThan(0);
    const reached = edges.filter(({ target }) => target.startsWith('shim/') && !isShared(target));
    expect(reached).toEqual([]);
  });

  test('nothing outside e2e/ reaches into it, and the panel and the extension do not import each other', () => {
    const crossings = ['shim', 'extension', 'panel', 'node'].flatMap((dir) =>
      graph(dir).filter(({ target }) => target.startsWith('e2e/') || (dir === 'panel' && target.startsWith('extension/')) || (dir === 'extension' && target.startsWith('panel/'))),
    );
    expect(crossings).toEqual([]);
  });
});
