// The messages filter driven in the real panel, in either browser: text and
// /regex/ queries with highlighting, direction toggles, heartbeat hiding,
// chips, the keyboard, a bad query, and a hostile payload that stays text.
import { expect } from 'vitest';
import { echoUrl, type DemoServer } from '../fixtures';
import type { Evaluator } from './devtools';
import { PageSocket } from './page-socket';
import { selectSocket } from './panel';
import { click, count, setField, textOf } from './shaping-panel';
import { waitFor } from './wait';

export async function filtersMessages(page: Evaluator, panel: Evaluator, server: DemoServer, run: string): Promise<void> {
  const hostile = `<img src=x onerror="document.title='pwned'">-${run}`;
  const sent = [`alpha-1-${run}`, `beta-2-${run}`, 'ping', '2', `alpha-3-${run}`, hostile];
  const socket = await PageSocket.open(page, echoUrl(server, `hello-${run}`));
  await socket.send(sent);
  await socket.waitForReceived(sent);
  await selectSocket(panel, socket.url);
  // The greeting, then each message sent and echoed.
  const total = 1 + 2 * sent.length;
  const counted = (text: string) => waitFor(`the filter count "${text}"`, async () => (await textOf(panel, 'filter-count')) === text);
  await counted(`${total}`);

  await setField(panel, 'filter-query', 'ALPHA');
  await counted(`4 of ${total}`);
  expect(await count(panel, '[data-testid=frame-row] mark')).toBe(4);

  await click(panel, 'filter-receive');
  await counted(`2 of ${total}`);
  expect(await count(panel, '[data-testid=filter-chip]')).toBe(2);
  // Removing the query's chip leaves the direction filter.
  await panel.evaluate(`[...document.querySelectorAll('[data-testid=filter-chip]')].find((chip) => chip.textContent.startsWith('Matching')).click()`);
  await counted(`${sent.length} of ${total}`);

  // Ctrl+K clears everything.
  await panel.evaluate(`document.dispatchEvent(new KeyboardEvent('keydown', { key: 'k', ctrlKey: true, bubbles: true }))`);
  await counted(`${total}`);

  await click(panel, 'filter-control');
  await counted(`${total - 4} of ${total}`);
  await click(panel, 'filter-control');

  await setField(panel, 'filter-query', '/^alpha-\\d/');
  await counted(`4 of ${total}`);
  await setField(panel, 'filter-query', '/(/');
  await waitFor('the filter error', async () => (await count(panel, '[data-testid=filter-error]')) === 1);
  await counted(`${total}`);

  // A payload that is markup stays text, highlighted but never parsed.
  await setField(panel, 'filter-query', 'onerror');
  await counted(`2 of ${total}`);
  expect(await count(panel, '[data-testid=frame-row] img')).toBe(0);
  expect(await panel.evaluate<string>('document.title')).not.toBe('pwned');
  expect(await count(panel, '[data-testid=frame-row] mark')).toBe(2);
  await setField(panel, 'filter-query', '');
}
