// Shared set-up for the e2e tests: the demo server, unique payloads, URLs.
import { randomBytes } from 'node:crypto';
import { startDemoServer, type DemoServer } from './demo/server';

export { startDemoServer, type DemoServer };

/** A token no other test run or stray frame can contain. */
export const token = (): string => randomBytes(6).toString('hex');

/**
 * A bracketed payload, so that no payload is a substring of another
 * (`[up-x-1]` is not inside `[up-x-10]`).
 */
export const payload = (...parts: (string | number)[]): string => `[${parts.join('-')}]`;

/** The fixture page; `run` makes its URL unique, so a tab can be found by URL. */
export const testPageUrl = (server: DemoServer, run: string): string => `${server.url}test.html?run=${run}`;

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
