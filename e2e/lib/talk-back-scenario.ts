// Talking back from the real panel, in either browser: the composer sends as
// the page (the echo server answers, so the server had it) and delivers to
// the page (the page has it once: had the server had it, its echo would make
// two); bad input is refused with its reason; a message is resent and edited
// and resent; the socket closes with a code (the server's close frame echoes
// the code it received, so the page's clean close with that code shows both
// ends saw it); the marks survive a HAR export and import.
import { expect } from 'vitest';
import type { DemoServer } from '../demo/server';
import type { Evaluator } from './devtools';
import { PageSocket } from './page-socket';
import { allMessageTexts, attributeOf, click, exported, importFile, openRow, selectSocket, setField, textOf } from './panel';
import { echoUrl } from './traffic';
import { waitFor } from './wait';

/** Types `text` in the composer in `format`, for `target`, and presses Send. */
export async function compose(panel: Evaluator, text: string, format: string, target: 'send' | 'inject'): Promise<void> {
  await setField(panel, 'composer-format', format);
  await setField(panel, 'composer-target', target);
  await setField(panel, 'composer-box', text);
  // The panel may hear of the socket before it hears that it opened.
  await waitFor('Send enabled', async () => (await attributeOf(panel, 'composer-send', 'disabled')) === null);
  await click(panel, 'composer-send');
}

export async function talksBack(page: Evaluator, panel: Evaluator, server: DemoServer, run: string): Promise<void> {
  const greeting = `hello-${run}`;
  const socket = await PageSocket.open(page, echoUrl(server, greeting));
  await socket.send([`own-${run}`]);
  await socket.waitForReceived([greeting, `own-${run}`]);
  await selectSocket(panel, socket.url);

  // Send as the page: the server echoes it.
  await compose(panel, `composed-${run}`, 'text', 'send');
  await socket.waitForReceived([`composed-${run}`]);
  // Deliver to the page, as JSON; then a round trip behind it: had the server had it, its echo would come before.
  const injected = `{"injected":"${run}"}`;
  await compose(panel, injected, 'json', 'inject');
  await socket.waitForReceived([injected]);
  await socket.send([`after-${run}`]);
  await socket.waitForReceived([`after-${run}`]);

  // Bad input is refused with its reason, and nothing goes.
  await compose(panel, '{"a": }', 'json', 'send');
  expect(await textOf(panel, 'composer-error')).toMatch(/^Not JSON: /);
  await compose(panel, '00 0g', 'hex', 'send');
  expect(await textOf(panel, 'composer-error')).toBe('Not hex: "g" at digit 4');
  // Bytes in hex go as binary: the echo comes back as bytes.
  await compose(panel, '00 01 ff', 'hex', 'send');
  await waitFor('the echo of the hex bytes', async () => (await textOf(panel, 'filter-count')) === '10');

  // Resend a received message: the page has the greeting again, the server nothing new.
  // (Filtered first: the table renders only the rows in view, and a DevTools window is small.)
  await setField(panel, 'filter-query', greeting);
  await openRow(panel, greeting);
  await click(panel, 'resend');
  await waitFor('the greeting delivered again', async () => (await socket.received()).filter((text) => text === greeting).length === 2);
  // Edit and resend the page's own message: in the composer as text, to send as the page.
  await setField(panel, 'filter-query', `own-${run}`);
  await openRow(panel, `own-${run}`);
  await click(panel, 'edit-resend');
  await waitFor('the message in the composer', () => panel.evaluate<boolean>(`document.querySelector('[data-testid=composer-box]').value === ${JSON.stringify(`own-${run}`)}`));
  expect(await panel.evaluate<string>(`document.querySelector('[data-testid=composer-target]').value`)).toBe('send');
  await setField(panel, 'composer-box', `own-edited-${run}`);
  await click(panel, 'composer-send');
  await socket.waitForReceived([`own-edited-${run}`]);
  await setField(panel, 'filter-query', '');
  await socket.send([`last-${run}`]);
  await socket.waitForReceived([`last-${run}`]);
  const received = await socket.received();
  expect(received.filter((text) => text !== '[object Blob]')).toEqual([
    greeting,
    `own-${run}`,
    `composed-${run}`,
    injected,
    `after-${run}`,
    greeting,
    `own-edited-${run}`,
    `last-${run}`,
  ]);

  // Close socket…: a code the standard refuses is said inline; then 4001 closes both ends.
  await click(panel, 'close-socket');
  await setField(panel, 'close-code', '1001');
  await click(panel, 'close-submit');
  expect(await textOf(panel, 'close-error')).toBe('The close code must be either 1000, or between 3000 and 4999. 1001 is neither.');
  await setField(panel, 'close-code', '4001');
  await setField(panel, 'close-reason', `bye-${run}`);
  await click(panel, 'close-submit');
  await waitFor('the page to see the close', async () => (await socket.closeCode()) === 4001);
  await waitFor('the composer disabled', async () => (await attributeOf(panel, 'composer-send', 'title')) === 'The socket is closed');

  // The marks, in the table, then through a HAR export and import.
  // A row reads arrow, direction, then its mark's badge (lower case) before the data.
  const marks = async () => (await allMessageTexts(panel)).flatMap((row) => /^[↑↓](?:Sent|Received)(sent|injected)/.exec(row)?.[1] ?? []);
  const expectedMarks = ['sent', 'injected', 'sent', 'injected', 'sent'];
  expect(await marks()).toEqual(expectedMarks);
  const har = await exported(panel, 'export-har');
  const written = (JSON.parse(har) as { log: { entries: { request: { url: string }; _webSocketMessages: { _sockscopeMark?: string }[] }[] } }).log.entries
    .find((entry) => entry.request.url === socket.url)!
    ._webSocketMessages.flatMap((message) => message._sockscopeMark ?? []);
  expect(written).toEqual(expectedMarks);
  await importFile(panel, `talk-${run}.har`, har);
  await selectSocket(panel, socket.url);
  await waitFor('the imported marks', async () => JSON.stringify(await marks()) === JSON.stringify(expectedMarks));
  await click(panel, 'file-close');
}
