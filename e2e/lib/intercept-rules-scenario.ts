// Intercept rules from the real panel's rule editor, in either browser,
// observed in the page against the echo server: a reply answers the page's
// send in place of the server (the server's echo, which would come before
// the next message's, never comes), a drop keeps a send from the server, a
// rewrite changes what the page receives; the table marks each; the off
// switch ends them all; the rules go to a file and back; bad rules are
// refused with their reason; a shaping rule that refuses fails a new
// socket's handshake.
import { expect } from 'vitest';
import type { DemoServer } from '../demo/server';
import type { Evaluator } from './devtools';
import { PageSocket } from './page-socket';
import { allMessageTexts, chooseFile, click, count, exported, selectSocket, textOf } from './panel';
import { addRule, type RuleForm } from './shaping-panel';
import { echoUrl } from './traffic';
import { sleep, waitFor } from './wait';

const listed = (panel: Evaluator) => count(panel, '[data-testid=rule-list] li');

/** The mark of each message row (arrow, direction, then its mark's badge before the data) showing `text`, top to bottom. */
async function marksOf(panel: Evaluator, text: string): Promise<string[]> {
  const rows = (await allMessageTexts(panel)).filter((row) => row.includes(text));
  return rows.map((row) => /^[↑↓](?:Sent|Received)(sent|injected|edited|dropped|mocked)?/.exec(row)?.[1] ?? 'none');
}

/**
 * Sends `texts`, then a last message, and returns what the page received,
 * sorted, once that last one's echo and `also` are there (as many times as
 * listed in all): the server echoes
 * in order, so an echo not there by then never comes. (A reply is delivered
 * in the page, in Firefox after the echo of a later send.)
 */
async function exchange(socket: PageSocket, texts: string[], last: string, also: string[] = []): Promise<string[]> {
  await socket.send([...texts, last]);
  const expected = [last, ...also];
  const enough = (received: string[]) => expected.every((text) => received.filter((r) => r === text).length >= expected.filter((e) => e === text).length);
  const received = await waitFor(`${expected.join(', ')} received`, async () => {
    const now = await socket.received();
    return enough(now) && now;
  });
  return received.sort();
}

export async function interceptRules(page: Evaluator, panel: Evaluator, server: DemoServer, run: string): Promise<void> {
  const greeting = `hello-${run}`;
  const socket = await PageSocket.open(page, echoUrl(server, greeting));
  await socket.waitForReceived([greeting]);
  await selectSocket(panel, socket.url);
  const forThisRun: RuleForm = { scope: 'url', pattern: run };

  // Bad rules are refused with their reason, and nothing is added.
  expect(await addRule(panel, { ...forThisRun, kind: 'drop', values: { direction: 'send', 'data-kind': 'regex', data: '(' } })).toMatch(
    /^data: the regular expression does not compile: /,
  );
  expect(await addRule(panel, { ...forThisRun, kind: 'reply', values: { direction: 'receive', 'data-kind': 'any', reply: 'no' } })).toBe('a reply answers a send: direction must be "send"');
  expect(await listed(panel)).toBe(0);

  // A reply, a drop and a rewrite.
  const reply = { ...forThisRun, kind: 'reply', values: { direction: 'send', 'data-kind': 'text', data: `ask-${run}`, reply: `answer-${run}` } } as const;
  expect(await addRule(panel, reply)).toBeNull();
  expect(await addRule(panel, { ...forThisRun, kind: 'drop', values: { direction: 'send', 'data-kind': 'text', data: `lose-${run}` } })).toBeNull();
  expect(await addRule(panel, { ...forThisRun, kind: 'rewrite', values: { direction: 'receive', 'data-kind': 'any', find: 'this', replacement: 'that' } })).toBeNull();
  expect(await listed(panel)).toBe(3);
  const labels = await panel.evaluate<string[]>(`Array.from(document.querySelectorAll('[data-testid=rule-list] .rule-summary'), (s) => s.textContent)`);
  expect(labels).toEqual([`↑ sends containing “ask-${run}”: answered with “answer-${run}”, not sent`, `↑ sends containing “lose-${run}”: dropped`, '↓ receives: “this” replaced with “that”']);
  const file = await exported(panel, 'rules-export');
  await click(panel, 'rule-done');

  // The page has the reply and no echo of its send; the dropped send has no echo; the echo of "this" reads "that".
  const sends = [`ask-${run}`, `lose-${run}`, `keep-this-${run}`];
  expect(await exchange(socket, sends, `end-1-${run}`, [`answer-${run}`])).toEqual([greeting, `answer-${run}`, `keep-that-${run}`, `end-1-${run}`].sort());
  await waitFor('the marks in the table', async () => (await marksOf(panel, `end-1-${run}`)).length === 2);
  expect(await marksOf(panel, `ask-${run}`)).toEqual(['mocked']);
  expect(await marksOf(panel, `answer-${run}`)).toEqual(['mocked']);
  expect(await marksOf(panel, `lose-${run}`)).toEqual(['dropped']);
  expect(await marksOf(panel, `keep-that-${run}`)).toEqual(['edited']);

  // One click turns them all off: the same sends reach the server, and its echoes come back as sent.
  await click(panel, 'shaping-off');
  await waitFor('no rules left', async () => (await count(panel, '[data-testid=shaping-off]')) === 0);
  // The panel's list empties at once; the page's shim hears of it a moment later: until then a send the
  // drop rule matches gets no echo.
  let probes = 0;
  await waitFor('a send the drop rule matched, echoed', async () => {
    const probe = `lose-${run}-probe-${probes++}`;
    await socket.send([probe]);
    await sleep(100);
    return (await socket.received()).includes(probe);
  });
  const off = (await exchange(socket, sends, `end-2-${run}`)).filter((text) => !text.includes('-probe-'));
  expect(off).toEqual([greeting, `answer-${run}`, `keep-that-${run}`, `end-1-${run}`, ...sends, `end-2-${run}`].sort());

  // The exported file is the rules as the shim reads them; imported, it is the same rules again, for every document, and they apply.
  expect(JSON.parse(file)).toEqual([
    { match: { kind: 'url', value: run }, direction: 'send', data: `ask-${run}`, action: { reply: `answer-${run}` } },
    { match: { kind: 'url', value: run }, direction: 'send', data: `lose-${run}`, action: 'drop' },
    { match: { kind: 'url', value: run }, direction: 'receive', action: { replace: ['this', 'that'] } },
  ]);
  await click(panel, 'shaping-edit');
  await chooseFile(panel, 'rules-import', 'bad.json', JSON.stringify([JSON.parse(file)[0], { ...JSON.parse(file)[1], data: { kind: 'regex', source: '[', flags: '' } }]));
  await waitFor('the bad file refused', async () => (await textOf(panel, 'rules-file-error')) !== null);
  expect(await textOf(panel, 'rules-file-error')).toMatch(/^bad\.json: rule 1: data: the regular expression does not compile: /);
  expect(await listed(panel)).toBe(0);
  await chooseFile(panel, 'rules-import', 'rules.json', file);
  await waitFor('the imported rules listed', async () => (await listed(panel)) === 3);
  expect(await exported(panel, 'rules-export')).toBe(file);
  await click(panel, 'rule-done');
  const again = await exchange(socket, [`ask-${run}`], `end-3-${run}`, [`answer-${run}`, `answer-${run}`]);
  expect(again.filter((text) => text === `answer-${run}` || text === `ask-${run}`)).toEqual([`answer-${run}`, `answer-${run}`, `ask-${run}`]);
  await click(panel, 'shaping-off');
  await waitFor('no rules left', async () => (await count(panel, '[data-testid=shaping-off]')) === 0);

  // Refused: a new socket to these URLs fails its handshake; the open one goes on.
  expect(await addRule(panel, { ...forThisRun, offline: 'refuse' })).toBeNull();
  expect(await panel.evaluate<string>(`document.querySelector('[data-testid=rule-list] .rule-summary').textContent`)).toBe('offline: new connections refused');
  await click(panel, 'rule-done');
  await expect(PageSocket.open(page, echoUrl(server, `refused-${run}`))).rejects.toThrow(/WebSocket error/);
  expect(await exchange(socket, [], `end-4-${run}`)).toContain(`end-4-${run}`);
  await click(panel, 'shaping-off');
  await waitFor('no rules left', async () => (await count(panel, '[data-testid=shaping-off]')) === 0);
}
