// Shared set-up for the e2e tests: the demo server, unique payloads, URLs.
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { startDemoServer, type DemoServer } from './demo/server';
import type { Evaluator } from './lib/devtools';
import { rowTexts, selectSocket, waitForMessages } from './lib/panel';

export { startDemoServer, type DemoServer };

/** A token no other test run or stray frame can contain. */
export const token = (): string => randomBytes(6).toString('hex');

/**
 * A bracketed payload, so that no payload is a substring of another
 * (`[up-x-1]` is not inside `[up-x-10]`).
 */
export const payload = (...parts: (string | number)[]): string => `[${parts.join('-')}]`;

/** The fixture page; `run` makes its URL unique, so a tab can be found by URL. */
/** A demo page (the bare test page by default), its URL unique to the run. */
export const testPageUrl = (server: DemoServer, run: string, page = 'test.html'): string => `${server.url}${page}?run=${run}`;

/** The echo endpoint; the server first sends `greeting` to the page. */
export const echoUrl = (server: DemoServer, greeting: string): string =>
  `${server.wsUrl}/echo?greet=${encodeURIComponent(greeting)}`;

export const countContaining = (texts: string[], needle: string): number => texts.filter((t) => t.includes(needle)).length;

/** The direction labels ('Sent' / 'Received') of the frame rows showing `needle`, sorted. */
export const directionsOf = (rows: string[], needle: string): string[] =>
  rows
    .filter((t) => t.includes(needle))
    .map((t) => (t.includes('Received') ? 'Received' : t.includes('Sent') ? 'Sent' : 'none'))
    .sort();

/**
 * Selects the socket in the panel and asserts what an echo exchange shows: the
 * socket listed once, `up` sent and echoed back, the greeting `down` received
 * once. Returns the frame rows.
 */
export async function expectEchoExchange(panel: Evaluator, socketUrl: string, up: string, down: string): Promise<string[]> {
  await selectSocket(panel, socketUrl);
  expect((await rowTexts(panel, 'socket-row')).filter((t) => t.includes(socketUrl))).toHaveLength(1);
  const frames = await waitForMessages(panel, { [up]: 2, [down]: 1 });
  expect(countContaining(frames, up)).toBe(2);
  expect(countContaining(frames, down)).toBe(1);
  expect(directionsOf(frames, up)).toEqual(['Received', 'Sent']);
  expect(directionsOf(frames, down)).toEqual(['Received']);
  return frames;
}
