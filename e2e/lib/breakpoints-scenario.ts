// Breakpoints from the real panel, in either browser, on the demo's echo
// endpoint (the server echoes every message, so an echo the page receives
// is a message the server had):
// - a breakpoint on sends holds the page's send, which the server does not
//   have while it is held; it is edited (bad JSON refused first) and
//   forwarded, and the sends behind it follow, in order;
// - a breakpoint on received messages, Drop: the page never gets that one,
//   and gets the next;
// - Continue all lets every held message go, as it is, and removes the
//   breakpoints;
// - after a reload, the breakpoint is still listed and still holds;
// - a message the panel has only part of is forwarded whole, not edited.
//
// A rule reaches a page's shim on the same ordered path as the composer's
// sends (panel, background, bridge, shim), so a composed message's echo says
// the rule added before it is in force.
import { expect } from 'vitest';
import type { DemoServer } from '../demo/server';
import type { Evaluator } from './devtools';
import { PageSocket } from './page-socket';
import { attributeOf, click, count, selectSocket, setField, textOf } from './panel';
import { echoUrl } from './traffic';
import { waitFor } from './wait';

export interface BreakpointsSetup {
  page: Evaluator;
  panel: Evaluator;
  server: DemoServer;
  run: string;
  reload: () => Promise<unknown>;
}

const valueOf = (panel: Evaluator, testId: string) => panel.evaluate<string | null>(`document.querySelector('[data-testid="${testId}"]')?.value ?? null`);
const labels = (panel: Evaluator) => panel.evaluate<string[]>(`Array.from(document.querySelectorAll('[data-testid=breakpoint-label]'), (label) => label.textContent)`);

/** Adds a breakpoint on the selected socket's URL from the form (already open when `opened`), and waits for it in the list. */
async function addBreakpoint(panel: Evaluator, direction: 'send' | 'receive', pattern: string, opened = false): Promise<void> {
  const before = (await labels(panel)).length;
  if (!opened) await click(panel, 'breakpoint-add');
  await setField(panel, 'breakpoint-direction', direction);
  await setField(panel, 'breakpoint-pattern', pattern);
  await click(panel, 'breakpoint-submit');
  await waitFor('the breakpoint listed', async () => (await labels(panel)).length === before + 1);
}

/** Sends `text` from the composer and waits for its echo: every rule set before it is in force in the page. */
async function composeAndEcho(panel: Evaluator, socket: PageSocket, text: string): Promise<void> {
  await setField(panel, 'composer-format', 'text');
  await setField(panel, 'composer-target', 'send');
  await setField(panel, 'composer-box', text);
  await waitFor('Send enabled', async () => (await attributeOf(panel, 'composer-send', 'disabled')) === null);
  await click(panel, 'composer-send');
  await socket.waitForReceived([text]);
}

/** Waits for the selected socket's paused message; returns its direction line and its data as the editor shows it. */
async function paused(panel: Evaluator): Promise<{ direction: string; data: string }> {
  await waitFor('a paused message', async () => (await count(panel, '[data-testid=held-message]')) === 1);
  return { direction: (await textOf(panel, 'held-direction')) ?? '', data: (await valueOf(panel, 'held-box')) ?? '' };
}

export async function breakpointsHoldEditDropAndContinue({ page, panel, server, run, reload }: BreakpointsSetup): Promise<void> {
  const greeting = `bp-${run}`;
  const socket = await PageSocket.open(page, echoUrl(server, greeting));
  await socket.waitForReceived([greeting]);
  await selectSocket(panel, socket.url);

  // A regular expression that does not compile is refused with its reason, and nothing is added.
  await click(panel, 'breakpoint-add');
  await click(panel, 'breakpoint-regex');
  await setField(panel, 'breakpoint-pattern', '(');
  await click(panel, 'breakpoint-submit');
  expect(await textOf(panel, 'breakpoint-error')).toMatch(/^data: the regular expression does not compile: /);
  expect(await labels(panel)).toEqual([]);
  await click(panel, 'breakpoint-cancel');

  // The form starts from the message filter's text.
  const hold = `hold-${run}`;
  await setField(panel, 'filter-query', hold);
  await click(panel, 'breakpoint-add');
  expect(await valueOf(panel, 'breakpoint-pattern')).toBe(hold);
  await addBreakpoint(panel, 'send', hold, true);
  await setField(panel, 'filter-query', '');
  expect(await labels(panel)).toEqual([`↑ Sends on ${socket.url} containing “${hold}”`]);
  await composeAndEcho(panel, socket, `sync1-${run}`);

  // The page's send is held; the sends behind it wait too. The server has none of them.
  await socket.send([hold, `after1-${run}`, `after2-${run}`]);
  expect(await paused(panel)).toEqual({ direction: '↑ A send, held before the server has it', data: hold });
  expect(await textOf(panel, 'held-count')).toMatch(/paused$/);
  const other = await PageSocket.open(page, echoUrl(server, `other-${run}`));
  await other.send([`other-${run}`]);
  await other.waitForReceived([`other-${run}`]);
  expect(await socket.received()).toEqual([greeting, `sync1-${run}`]);

  // Bad JSON is refused with its reason and the message stays held; then edited text is forwarded, and the rest follow in order.
  await setField(panel, 'held-format', 'json');
  await setField(panel, 'held-box', '{"edited": ');
  await click(panel, 'held-forward-edited');
  expect(await textOf(panel, 'held-error')).toMatch(/^Not JSON: /);
  expect(await count(panel, '[data-testid=held-message]')).toBe(1);
  await setField(panel, 'held-format', 'text');
  await setField(panel, 'held-box', `edited-${run}`);
  await click(panel, 'held-forward-edited');
  await socket.waitForReceived([`after2-${run}`]);
  expect(await socket.received()).toEqual([greeting, `sync1-${run}`, `edited-${run}`, `after1-${run}`, `after2-${run}`]);
  await waitFor('nothing paused', async () => (await count(panel, '[data-testid=held-message]')) === 0);
  expect(await count(panel, '[data-testid=held-count]')).toBe(0);

  // Removed, it holds nothing more; a breakpoint on received messages, and Drop: the page never gets that one.
  await click(panel, 'breakpoint-remove');
  await waitFor('no breakpoint listed', async () => (await labels(panel)).length === 0);
  const drop = `drop-${run}`;
  await addBreakpoint(panel, 'receive', drop);
  await composeAndEcho(panel, socket, `sync2-${run}`);
  await socket.send([`${drop}-1`, `next-${run}`]);
  expect(await paused(panel)).toEqual({ direction: '↓ A received message, held before the page has it', data: `${drop}-1` });
  await click(panel, 'held-drop');
  await socket.waitForReceived([`next-${run}`]);
  await waitFor('nothing paused', async () => (await count(panel, '[data-testid=held-message]')) === 0);

  // Continue all: both held messages reach the page, as they are, in order, and no breakpoint is left.
  await socket.send([`${drop}-2`, `${drop}-3`]);
  expect((await paused(panel)).data).toBe(`${drop}-2`);
  await click(panel, 'held-continue-all');
  await socket.waitForReceived([`${drop}-3`]);
  expect((await socket.received()).slice(5)).toEqual([`sync2-${run}`, `next-${run}`, `${drop}-2`, `${drop}-3`]);
  await waitFor('no breakpoint listed', async () => (await labels(panel)).length === 0);

  // A breakpoint on every send of the socket's URL outlives a reload: still listed, and it holds the new page's send.
  await addBreakpoint(panel, 'send', '');
  const listed = await labels(panel);
  expect(listed).toEqual([`↑ Sends on ${socket.url}`]);
  await reload();
  const again = await PageSocket.open(page, socket.url);
  await again.waitForReceived([greeting]);
  await selectSocket(panel, socket.url);
  expect(await labels(panel)).toEqual(listed);
  // The new document asks for the tab's rules as it starts; until they arrive a send goes straight through.
  let sent = 0;
  await waitFor('a send of the new page paused', async () => {
    if ((await count(panel, '[data-testid=held-message]')) === 1) return true;
    await again.send([`reload-${run}-${++sent}`]);
    return false;
  });
  const held = (await paused(panel)).data;
  expect(held).toMatch(new RegExp(`^reload-${run}-\\d+$`));
  expect(await again.received()).not.toContain(held);

  // A message over what the panel is sent of one (65,536 characters) can be forwarded or dropped, not edited; forwarded, it goes whole.
  const big = `big-${run}-${'x'.repeat(70_000)}`;
  await again.send([big]);
  for (let first = held; !first.startsWith('big-'); ) {
    await click(panel, 'held-forward');
    const before = first;
    first = await waitFor('the next paused message', async () => {
      const next = await valueOf(panel, 'held-box');
      return next !== null && next !== before && next;
    });
  }
  expect(await attributeOf(panel, 'held-forward-edited', 'disabled')).not.toBeNull();
  expect(await panel.evaluate<boolean>(`document.querySelector('[data-testid=held-box]').readOnly`)).toBe(true);
  expect(await textOf(panel, 'held-status')).toMatch(/^Only its first \S+ characters reached the panel: it can be forwarded or dropped as it is, not edited$/);
  await click(panel, 'held-continue-all');
  const all = Array.from({ length: sent }, (_, i) => `reload-${run}-${i + 1}`);
  await again.waitForReceived([...all, big]);
  expect(await again.received()).toEqual([greeting, ...all, big]);
  await waitFor('no breakpoint listed', async () => (await labels(panel)).length === 0);
}
