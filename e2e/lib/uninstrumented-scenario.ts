// A socket the network sees but no shim reports (a worker's: Sockscope does
// not reach workers yet) is listed as not instrumented, with how its
// handshake went; the page's own socket, which the shim reports, is not,
// and shows its handshake's headers.
import type { DemoServer } from '../demo/server';
import type { Evaluator } from './devtools';
import { expect } from 'vitest';
import { rowTexts, selectSocket, textOf } from './panel';
import { echoUrl } from './traffic';
import { waitFor } from './wait';

const rows = (panel: Evaluator) => panel.evaluate<string[]>(`Array.from(document.querySelectorAll('[data-testid=uninstrumented-row]'), (row) => row.textContent)`);

export async function workerSocketsListedAsNotInstrumented(page: Evaluator, panel: Evaluator, server: DemoServer, run: string): Promise<void> {
  const inWorker = echoUrl(server, `worker-${run}`);
  const inPage = echoUrl(server, `page-${run}`);
  await page.evaluate(`(() => {
    new Worker('/socket-worker.js?ws=' + encodeURIComponent(${JSON.stringify(inWorker)}));
    new WebSocket(${JSON.stringify(inPage)});
  })()`);
  await waitFor('the page socket in the socket list', async () => (await rowTexts(panel, 'socket-row')).some((row) => row.includes(encodeURIComponent(`page-${run}`))));
  await waitFor(
    () => 'the worker socket listed as not instrumented, opened',
    async () => (await rows(panel)).some((row) => row.includes(encodeURIComponent(`worker-${run}`)) && row.includes('opened')),
  );
  // The page's own socket is accounted for, and shows its handshake.
  const listed = await rows(panel);
  expect(listed.filter((row) => row.includes(encodeURIComponent(`page-${run}`)))).toEqual([]);
  await selectSocket(panel, encodeURIComponent(`page-${run}`));
  await waitFor('the handshake, opened', async () => (await textOf(panel, 'handshake-outcome')) === 'opened');
  const headers = (testId: string) => panel.evaluate<string[]>(`Array.from(document.querySelectorAll('[data-testid=${testId}] div'), (row) => row.textContent.toLowerCase())`);
  expect(await headers('handshake-response')).toContain('upgradewebsocket');
  expect((await headers('handshake-request')).some((row) => row.startsWith('sec-websocket-version'))).toBe(true);
}
