// Product code reads as small named pieces: no function (declaration,
// method, arrow or class body's member) in shim/, panel/, extension/ or
// node/ runs longer than LIMIT lines. A longer one is a sign that several
// ideas share one closure, as the socket kinds once did.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { expect, test } from 'vitest';
import { PRODUCT_DIRS, ROOT, sources } from './product-sources';

const LIMIT = 120;

/** `file:line name (n lines)` for each function longer than `limit` lines. */
function longFunctions(file: string, text: string, limit: number): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = end - start + 1;
      const name = node.name && ts.isIdentifier(node.name) ? node.name.text : '(anonymous)';
      if (lines > limit) found.push(`${file}:${start + 1} ${name} (${lines} lines)`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

test('the check finds a long function', () => {
  const body = Array.from({ length: 130 }, (_, i) => `  const a${i} = ${i};`).join('\n');
  expect(longFunctions('x.ts', `function long() {\n${body}\n}\nconst short = () => 1;`, LIMIT)).toEqual(['x.ts:1 long (132 lines)']);
});

test(`no function in product code is longer than ${LIMIT} lines`, () => {
  const files = PRODUCT_DIRS.flatMap(sources);
  expect(files.flatMap((file) => longFunctions(file, readFileSync(join(ROOT, file), 'utf8'), LIMIT))).toEqual([]);
});
