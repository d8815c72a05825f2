// The store listing (extension/store/) is what the stores accept: the
// short description is the manifest's and fits Chrome's 132 characters, and
// every screenshot is a 1280×800 PNG.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { ROOT } from './product-sources';

const STORE = join(ROOT, 'extension/store');

/** The paragraphs of the listing's section `title`, its explanation (the first paragraph) left out. */
function section(title: string): string[] {
  const text = readFileSync(join(STORE, 'listing.md'), 'utf8');
  const body = text.split(/^## /m).find((part) => part.startsWith(`${title}\n`));
  if (body === undefined) throw new Error(`extension/store/listing.md has no "## ${title}"`);
  return body.slice(title.length).trim().split(/\n{2,}/).map((paragraph) => paragraph.replace(/\s*\n\s*/g, ' '));
}

test("the short description is the manifest's, within Chrome's 132 characters", () => {
  const [, short] = section('Short description');
  const { description } = JSON.parse(readFileSync(join(ROOT, 'manifest.json'), 'utf8')) as { description: string };
  expect(short).toBe(description);
  expect(short.length).toBeLessThanOrEqual(132);
});

test('the description says what Sockscope does and that it collects nothing', () => {
  const description = section('Description').join('\n');
  expect(description).toMatch(/collects nothing/);
  // Both stores take up to 16,000 characters; a listing is read in a minute.
  expect(description.length).toBeLessThan(4_000);
});

test('every screenshot is a 1280×800 PNG', () => {
  const files = readdirSync(join(STORE, 'screenshots'));
  expect(files.length).toBeGreaterThan(0);
  for (const file of files) {
    const bytes = readFileSync(join(STORE, 'screenshots', file));
    // A PNG's signature, then its IHDR chunk: width and height, big-endian, at bytes 16 and 20.
    expect(bytes.subarray(1, 4).toString('latin1'), file).toBe('PNG');
    expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)], file).toEqual([1280, 800]);
  }
});
