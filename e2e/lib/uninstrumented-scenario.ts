// A socket the network sees but no shim reports (a worker's: Sockscope does
// not reach workers yet) is listed as not instrumented, with how its
// handshake went; the page's own socket, which the shim reports, is not.
import type { DemoServer } from '../demo/server';
import type { Evaluator } from './devtools';
import { rowTexts } from './panel';
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
  // The page's own socket is accounted for.
  const listed = await rows(panel);
  if (listed.some((row) => row.includes(encodeURIComponent(`page-${run}`)))) throw new Error(`the page's socket is listed as not instrumented: ${JSON.stringify(listed)}`);
}
