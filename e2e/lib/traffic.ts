// What the panel specs send and expect to see: unique payloads, the demo's
// echo endpoint, and the rows an echo exchange shows.
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { DemoServer } from '../demo/server';
import type { Evaluator } from './devtools';
import { rowTexts, selectSocket, waitForMessages } from './panel';

/** A token no other test run or stray message can contain. */
export const token = (): string => randomBytes(6).toString('hex');

/**
 * A bracketed payload, so that no payload is a substring of another
 * (`[up-x-1]` is not inside `[up-x-10]`).
 */
export const payload = (...parts: (string | number)[]): string => `[${parts.join('-')}]`;

/** The echo endpoint; the server first sends `greeting` to the page. */
export const echoUrl = (server: DemoServer, greeting: string): string =>
  `${server.wsUrl}/echo?greet=${encodeURIComponent(greeting)}`;

export const countContaining = (texts: string[], needle: string): number => texts.filter((t) => t.includes(needle)).length;

/** The direction labels ('Sent' / 'Received') of the message rows showing `needle`, sorted. */
export const directionsOf = (rows: string[], needle: string): string[] =>
  rows
    .filter((t) => t.includes(needle))
    .map((t) => (t.includes('Received') ? 'Received' : t.includes('Sent') ? 'Sent' : 'none'))
    .sort();

/**
 * Selects the socket in the panel and asserts what an echo exchange shows: the
 * socket listed once, `up` sent and echoed back, the greeting `down` received
 * once. Returns the message rows.
 */
export async function expectEchoExchange(panel: Evaluator, socketUrl: string, up: string, down: string): Promise<string[]> {
  await selectSocket(panel, socketUrl);
  expect((await rowTexts(panel, 'socket-row')).filter((t) => t.includes(socketUrl))).toHaveLength(1);
  const rows = await waitForMessages(panel, { [up]: 2, [down]: 1 });
  expect(countContaining(rows, up)).toBe(2);
  expect(countContaining(rows, down)).toBe(1);
  expect(directionsOf(rows, up)).toEqual(['Received', 'Sent']);
  expect(directionsOf(rows, down)).toEqual(['Received']);
  return rows;
}
