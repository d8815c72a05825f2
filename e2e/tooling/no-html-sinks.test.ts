// Page-supplied data stays data: no product code hands a string to an HTML
// parser or to the script compiler. The panel writes page data into its DOM
// only as text (Preact's children and attributes). This is also why the
// add-ons linter's one innerHTML warning, on Preact's own renderer, stays
// (docs/store.md).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { expect, test } from 'vitest';
import { PRODUCT_DIRS, ROOT, sources } from './product-sources';

/** Names that parse a string as HTML or run it as code. */
const SINKS = new Set(['innerHTML', 'outerHTML', 'insertAdjacentHTML', 'createContextualFragment', 'dangerouslySetInnerHTML', 'eval']);

/** `file:line name` for each use of a sink, each `document.write` and each `new Function`. */
function sinks(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: string[] = [];
  const at = (node: ts.Node, name: string) => found.push(`${file}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1} ${name}`);
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && SINKS.has(node.text)) at(node, node.text);
    if (ts.isPropertyAccessExpression(node) && /^write(ln)?$/.test(node.name.text) && node.expression.getText(source) === 'document') at(node, `document.${node.name.text}`);
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'Function') at(node, 'new Function');
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

test('the check finds each sink', () => {
  const text = [
    'el.innerHTML = s;',
    'el.insertAdjacentHTML("beforeend", s);',
    'const f = new Function(s);',
    'eval(s);',
    'const v = <div dangerouslySetInnerHTML={{ __html: s }} />;',
    'document.write(s);',
    'el.textContent = s; writer.write(s);',
  ].join('\n');
  expect(sinks('x.tsx', text)).toEqual(['x.tsx:1 innerHTML', 'x.tsx:2 insertAdjacentHTML', 'x.tsx:3 new Function', 'x.tsx:4 eval', 'x.tsx:5 dangerouslySetInnerHTML', 'x.tsx:6 document.write']);
});

test('no product code parses a string as HTML or runs it as code', () => {
  const files = PRODUCT_DIRS.flatMap(sources);
  expect(files.flatMap((file) => sinks(file, readFileSync(join(ROOT, file), 'utf8')))).toEqual([]);
});
