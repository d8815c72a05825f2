// A socket's messages in the real panel, in either browser: the filter (text
// and /regex/ queries with highlighting, direction toggles, heartbeat hiding,
// chips, the keyboard, a bad query, the user's heartbeat patterns, the scope
// of all sockets, a hostile payload that stays text) and a
// message in full (JSON tree, hex dump, keyboard).
import { expect } from 'vitest';
import type { DemoServer } from '../demo/server';
import { echoUrl } from './traffic';
import type { Evaluator } from './devtools';
import { PageSocket } from './page-socket';
import { click, copied, count, exported, importFile, openRow, selectSocket, setField, textOf, waitForFilterCount } from './panel';
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
  const counted = (text: string) => waitForFilterCount(panel, text);
  await counted(`${total}`);

  await setField(panel, 'filter-query', 'ALPHA');
  await counted(`4 of ${total}`);
  expect(await count(panel, '[data-testid=message-row] mark')).toBe(4);
  // Export saves the messages shown, in the order they came, each with its socket's URL.
  const lines = (await exported(panel, 'export-jsonl')).split('\n');
  expect(lines.pop()).toBe('');
  const exportedMessages = lines.map((line) => JSON.parse(line) as { url: string; direction: string; type: string; data: string; size: number; time: number });
  const times = exportedMessages.map(({ time }) => time);
  expect(times).toEqual([...times].sort((a, b) => a - b));
  // Sends and echoes interleave as the network has them: compared as a set.
  expect(exportedMessages.map(({ url, direction, type, data, size }) => JSON.stringify([url, direction, type, data, size])).sort()).toEqual(
    [`alpha-1-${run}`, `alpha-3-${run}`]
      .flatMap((data) => [
        [socket.url, 'send', 'text', data, data.length],
        [socket.url, 'receive', 'text', data, data.length],
      ])
      .map((message) => JSON.stringify(message))
      .sort(),
  );

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
  // The user's own heartbeat pattern hides the beta exchange too; a bad one says why.
  await click(panel, 'filter-patterns-edit');
  await setField(panel, 'filter-patterns', '\n^beta-2-\n');
  await counted(`${total - 6} of ${total}`);
  await setField(panel, 'filter-patterns', '^beta-2-\n(');
  await waitFor('the pattern error', async () => (await count(panel, '[data-testid=filter-error]')) === 1);
  await setField(panel, 'filter-patterns', '^beta-2-');
  await counted(`${total - 6} of ${total}`);
  await click(panel, 'filter-control');
  await counted(`${total}`);

  // Scoped to all sockets: another socket's matches show, each row naming its socket.
  const other = await PageSocket.open(page, echoUrl(server, `other-${run}`));
  await other.send([`alpha-9-${run}`]);
  await other.waitForReceived([`alpha-9-${run}`]);
  await setField(panel, 'filter-query', `alpha-`);
  await counted(`4 of ${total}`);
  await click(panel, 'filter-all-sockets');
  await counted(`6 of ${total + 3}`);
  const sockets = await panel.evaluate<string[]>(`[...document.querySelectorAll('[data-testid=message-socket]')].map((cell) => cell.textContent)`);
  expect(new Set(sockets)).toEqual(new Set([new URL(socket.url).pathname + new URL(socket.url).search, new URL(other.url).pathname + new URL(other.url).search]));
  await click(panel, 'filter-all-sockets');
  await counted(`4 of ${total}`);

  await setField(panel, 'filter-query', '/^alpha-\\d/');
  await counted(`4 of ${total}`);
  await setField(panel, 'filter-query', '/(/');
  await waitFor('the filter error', async () => (await count(panel, '[data-testid=filter-error]')) === 1);
  await counted(`${total}`);

  // A payload that is markup stays text, highlighted but never parsed.
  await setField(panel, 'filter-query', 'onerror');
  await counted(`2 of ${total}`);
  expect(await count(panel, '[data-testid=message-row] img')).toBe(0);
  expect(await panel.evaluate<string>('document.title')).not.toBe('pwned');
  expect(await count(panel, '[data-testid=message-row] mark')).toBe(2);
  await setField(panel, 'filter-query', '');

  // Text past a long message's preview is found in its full payload.
  const long = `${'.'.repeat(1_000)}deep-${run}`;
  await socket.send([long]);
  await socket.waitForReceived([long]);
  await setField(panel, 'filter-query', `DEEP-${run}`);
  await counted(`2 of ${total + 2}`);
  expect(await count(panel, '[data-testid=filter-searching]')).toBe(0);
  await setField(panel, 'filter-query', '');
}

export async function showsMessagesInFull(page: Evaluator, panel: Evaluator, server: DemoServer, run: string): Promise<void> {
  const json = JSON.stringify({ run, user: { name: '<b>bold</b>', ids: [1, 2, 3] } });
  const deep = `${'['.repeat(10_000)}"deep-${run}"${']'.repeat(10_000)}`;
  const socket = await PageSocket.open(page, echoUrl(server, `hello-${run}`));
  await socket.send([json, deep]);
  await socket.sendBytes([72, 105, 0, 255]);
  await socket.waitForReceived([json, deep]);
  await selectSocket(panel, socket.url);

  await openRow(panel, `"run":"${run}"`);
  await waitFor('the JSON tree', async () => (await count(panel, '[data-testid=json-tree]')) === 1);
  const items = () => panel.evaluate<string[]>(`[...document.querySelectorAll('[data-testid=json-tree] [role=treeitem]')].map((item) => item.dataset.path)`);
  expect(await items()).toEqual(['$', '$.run', '$.user']);
  await panel.evaluate(`document.querySelector('[data-path="$.user"] .json-toggle').click()`);
  await waitFor('the user object open', async () => (await items()).includes('$.user.name'));
  expect(await textOf(panel, 'json-tree')).toContain('"<b>bold</b>"');
  expect(await count(panel, '[data-testid=message-detail] b')).toBe(0);
  // Copy: the message as sent, its JSON laid out, a node's value and its path.
  expect(await copied(panel, '[data-testid=copy-text]')).toBe(json);
  expect(await copied(panel, '[data-testid=copy-json]')).toBe(JSON.stringify(JSON.parse(json), null, 2));
  expect(await copied(panel, '[data-path="$.user.name"] [data-testid=json-copy-value]')).toBe('"<b>bold</b>"');
  expect(await copied(panel, '[data-path="$.user.name"] [data-testid=json-copy-path]')).toBe('$.user.name');

  // Ten thousand levels: the first one renders, the panel stays responsive.
  await openRow(panel, '[[[[');
  await waitFor('the deep tree', async () => (await items()).length === 2);

  // Binary: a hex dump with offsets and ASCII.
  await openRow(panel, '48 69 00 ff');
  expect(await textOf(panel, 'hex-dump')).toBe('00000000  48 69 00 ff' + ' '.repeat(39) + 'Hi..');
  expect(await copied(panel, '[data-testid=copy-text]')).toBe('SGkA/w==');

  // Keyboard: up to the message before, Enter shows it, Escape closes.
  await panel.evaluate(`(() => {
    const table = document.querySelector('[data-testid=message-table]');
    table.focus();
    table.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowUp', bubbles: true }));
  })()`);
  await panel.evaluate(`document.querySelector('[data-testid=message-table]').dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }))`);
  await waitFor('the message before in full', async () => (await count(panel, '[data-testid=hex-dump]')) === 0 && (await count(panel, '[data-testid=message-detail]')) === 1);
  await panel.evaluate(`document.querySelector('[data-testid=message-table]').dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }))`);
  await waitFor('the detail closed', async () => (await count(panel, '[data-testid=message-detail]')) === 0);
}

/**
 * Export HAR, then import the file: the same socket and messages, read-only;
 * and a HAR Chrome's DevTools exported imports too.
 */
export async function harRoundTrip(page: Evaluator, panel: Evaluator, server: DemoServer, run: string, chromeHar: string): Promise<void> {
  const socket = await PageSocket.open(page, echoUrl(server, `har-hello-${run}`));
  await socket.send([`har-up-${run}`]);
  await socket.sendBytes([0, 1, 2, 250]);
  await socket.waitForReceived([`har-up-${run}`]);
  await selectSocket(panel, socket.url);
  await waitFor('all messages in the panel', async () => (await textOf(panel, 'filter-count')) === '5');

  const har = await exported(panel, 'export-har');
  const entry = (JSON.parse(har) as { log: { entries: { request: { url: string }; _webSocketMessages: { type: string; opcode: number; data: string }[] }[] } }).log.entries.find(
    (e) => e.request.url === socket.url,
  );
  // In arrival order, which interleaves the echoes with the sends: compared as a set.
  const messages = entry?._webSocketMessages.map(({ type, opcode, data }) => JSON.stringify([type, opcode, data])).sort();
  expect(messages).toEqual(
    [
    ['receive', 1, `har-hello-${run}`],
    ['send', 1, `har-up-${run}`],
    ['send', 2, 'AAEC+g=='],
    ['receive', 1, `har-up-${run}`],
    ['receive', 2, 'AAEC+g=='],
    ]
      .map((message) => JSON.stringify(message))
      .sort(),
  );

  await importFile(panel, `exported-${run}.har`, har);
  await selectSocket(panel, socket.url);
  await waitFor('the imported messages', async () => (await textOf(panel, 'filter-count')) === '5');
  expect(await count(panel, '[data-testid=shaping-preset]')).toBe(0);
  expect(await count(panel, '[data-testid=view-shaping]')).toBe(0);
  await click(panel, 'file-close');
  await waitFor('the live log again', async () => (await count(panel, '[data-testid=file-banner]')) === 0 && (await count(panel, '[data-testid=shaping-preset]')) === 1);

  await importFile(panel, 'chrome.har', chromeHar);
  await selectSocket(panel, 'ws://127.0.0.1:8080/chrome-recorded');
  await waitFor("Chrome's three messages", async () => (await textOf(panel, 'filter-count')) === '3');
  await openRow(panel, 'chrome-greeting');
  await click(panel, 'file-close');

  await importFile(panel, 'broken.har', '{"log":{"entries":[]}}', false);
  await waitFor('the import error', async () => (await textOf(panel, 'file-error'))?.includes('no WebSocket entries') === true);
}

/**
 * Page-controlled text of every kind the panel shows, hostile: markup and
 * script, a javascript: URL, bidi overrides, lone surrogates, a 10 MB line,
 * JSON ten thousand levels deep and a number of ten thousand digits. Nothing
 * may execute, and the panel must stay usable: each is opened in full.
 */
export async function survivesHostilePayloads(page: Evaluator, panel: Evaluator, server: DemoServer, run: string): Promise<void> {
  const hostile = [
    `<script>document.title='pwned'</script><img src=x onerror="document.title='pwned'">${run}`,
    `javascript:document.title='pwned'//${run}`,
    `\u202eevil\u202c\u2066rtl\u2069-${run}`,
    `lone \ud800 surrogate \udc00-${run}`,
    `{"n":${'9'.repeat(10_000)},"run":"${run}"}`,
  ];
  const socket = await PageSocket.open(page, echoUrl(server, `hostile-${run}`));
  await socket.send(hostile);
  // 10 MB on one line, made in the page: the panel gets its first MiB (the protocol's bound) and says so.
  await page.evaluate(`(globalThis.__e2eSockets && Object.values(globalThis.__e2eSockets).at(-1).ws.send('x'.repeat(10 * 1024 * 1024) + '-${run}'), true)`);
  await waitFor('every echo in the page', async () => (await socket.receivedCount()) === 1 + hostile.length + 1);
  await selectSocket(panel, socket.url);
  let shown: string | null = null;
  await waitFor(
    () => `every hostile message in the panel (it shows ${shown})`,
    async () => (shown = await textOf(panel, 'filter-count')) === String(1 + 2 * (hostile.length + 1)),
  );

  for (const needle of ['onerror', 'javascript:', 'evil', 'surrogate', '"n":999', 'xxxxxxxx']) {
    await openRow(panel, needle);
    // Responsive: the next task runs promptly after rendering it.
    expect(await panel.evaluate<boolean>('new Promise((resolve) => setTimeout(() => resolve(true), 0))')).toBe(true);
  }
  // None in the panel's app (its page has its own script tag, outside it).
  expect(await count(panel, ['script', 'img', 'iframe', 'object', 'embed', 'a[href^="javascript"]'].map((tag) => `#app ${tag}`).join(', '))).toBe(0);
  expect(await panel.evaluate<string>('document.title')).not.toBe('pwned');
  expect(await count(panel, '[data-testid=detail-truncated]')).toBe(1);
}

/** A protocol detected from the first messages decodes each message; another can be chosen by hand (MessagePack here). */
export async function decodesProtocols(page: Evaluator, panel: Evaluator, server: DemoServer, run: string): Promise<void> {
  const socket = await PageSocket.open(page, echoUrl(server, '{"type":"connection_init"}'));
  await socket.send([`{"id":"${run}","type":"next","payload":{"data":{"n":1}}}`]);
  // MessagePack of { run: <run> }: fixmap(1), fixstr "run", str8 of the run.
  await socket.sendBytes([0x81, 0xa3, 0x72, 0x75, 0x6e, 0xd9, run.length, ...[...run].map((c) => c.charCodeAt(0))]);
  await socket.waitForReceived([`{"id":"${run}","type":"next","payload":{"data":{"n":1}}}`]);
  await selectSocket(panel, socket.url);
  await waitFor('graphql-ws detected', async () => (await textOf(panel, 'protocol-choice'))?.includes('Detected: graphql-ws') === true);
  await openRow(panel, `"id":"${run}"`);
  await waitFor('the decoded message', async () => (await textOf(panel, 'decoded-summary')) === `graphql-ws: next #${run}`);

  await setField(panel, 'protocol-choice', 'msgpack');
  await openRow(panel, '81 a3 72 75 6e');
  await waitFor('the MessagePack decoded', async () => (await textOf(panel, 'decoded-summary')) === 'MessagePack: MessagePack');
  expect(await textOf(panel, 'json-tree')).toContain(`"${run}"`);
  // A text message under MessagePack says it is not one, and the raw message is a click away.
  await openRow(panel, `"id":"${run}"`);
  await waitFor('the decoder saying no', async () => (await textOf(panel, 'decoded-error'))?.startsWith('not a MessagePack message') === true);
  await click(panel, 'viewer-json');
  await waitFor('the raw JSON', async () => (await count(panel, '[data-testid=json-tree]')) === 1);
}

/**
 * A log long enough that a filter splits: the panel searches the newest
 * quarter, its worker the older part, chunk by chunk, of which the panel
 * takes back all but the oldest (see MessageView). The panel's Worker
 * constructor is wrapped from outside to count the workers and their answers
 * (the panel's code is as shipped): the oldest match, which only the worker
 * searched, must show, and the worker must have answered (a failed worker
 * leaves the panel searching alone, with the same matches).
 */
export async function filtersALargeLog(page: Evaluator, panel: Evaluator, server: DemoServer, run: string): Promise<void> {
  await panel.evaluate(`(() => {
    const Native = Worker;
    window.searchWorkers = { started: 0, answers: 0 };
    window.Worker = class extends Native {
      constructor(...args) {
        super(...args);
        searchWorkers.started++;
        this.addEventListener('message', (event) => !('error' in event.data) && searchWorkers.answers++);
      }
    };
    return true;
  })()`);
  // SPLIT_MIN (panel/search/split-search.ts) is 50,000; each message is its number, zero-padded to 8 digits.
  const total = 60_000;
  const socket = await PageSocket.open(page, `${server.wsUrl}/bulk?run=${run}`);
  await socket.send([`${total}x8#`]);
  await selectSocket(panel, socket.url);
  const counted = (text: string) => waitForFilterCount(panel, text, { timeoutMs: 60_000 });
  // The request sent, and the messages.
  await counted(`${total + 1}`);
  expect(await panel.evaluate('searchWorkers')).toEqual({ started: 1, answers: 0 });

  await setField(panel, 'filter-query', '/7$/');
  await counted(`${total / 10} of ${total + 1}`);
  await waitFor('the search to end', async () => (await count(panel, '[data-testid=filter-searching]')) === 0);
  // The oldest chunk always, and the next if the worker began it before the panel took it back.
  const { started, answers } = await panel.evaluate<{ started: number; answers: number }>('searchWorkers');
  expect(started).toBe(1);
  expect([1, 2]).toContain(answers);
  await panel.evaluate(`document.querySelector('[data-testid=message-table]').dispatchEvent(new KeyboardEvent('keydown', { key: 'Home', bubbles: true }))`);
  const selected = () => panel.evaluate<string | null>(`document.querySelector('[data-testid=message-row][aria-selected=true]')?.textContent ?? null`);
  await waitFor('the oldest match selected', async () => (await selected())?.includes('00000007') === true);
}
