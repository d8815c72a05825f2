// Shaping driven from the real panel, observed in the page: the same steps in
// Chromium (the panel in its DevTools window) and Firefox (the panel as a tab).
import { expect } from 'vitest';
import type { DemoServer } from '../demo/server';
import { echoUrl } from './traffic';
import type { Evaluator } from './devtools';
import { PageSocket } from './page-socket';
import { attributeOf, click, count, selectSocket } from './panel';
import { addRule, heldMessages } from './shaping-panel';
import { waitFor } from './wait';

export interface ShapingSetup {
  page: Evaluator;
  panel: Evaluator;
  server: DemoServer;
  run: string;
}

/** Bad input is refused with its reason and changes nothing. */
export async function refusesBadRules({ panel }: ShapingSetup): Promise<void> {
  expect(await addRule(panel, { values: { 'up.latencyMs': 'abc' } })).toContain('up.latencyMs must be a finite number, not NaN');
  expect(await attributeOf(panel, 'rule-up.latencyMs', 'aria-invalid')).toBe('true');
  expect(await addRule(panel, { values: { 'up.latencyMs': '', 'down.bytesPerSecond': '1e12' } })).toContain('down.bytesPerSecond is 1000000000000, more than the limit');
  expect(await addRule(panel, { values: { 'down.bytesPerSecond': '', 'consumer.messagesPerSecond': '-5' } })).toContain('must not be negative');
  expect(await addRule(panel, { values: { 'consumer.messagesPerSecond': '' }, scope: 'regex', pattern: '(' })).toMatch(/^match: the regular expression does not compile/);
  expect(await addRule(panel, { scope: 'url', pattern: '' })).toContain('match.value must be a non-empty string');
  expect(await count(panel, '[data-testid=rule-list] li')).toBe(0);
  await click(panel, 'rule-done');
  expect(await count(panel, '[data-testid=shaping-off]')).toBe(0);
}

/** Pause, step and resume the page as the consumer of one socket, with the held count live. */
export async function drivesTheConsumer({ page, panel, server, run }: ShapingSetup): Promise<void> {
  const socket = await PageSocket.open(page, echoUrl(server, `hi-${run}`));
  await socket.waitForReceived([`hi-${run}`]);
  await selectSocket(panel, socket.url);
  await click(panel, 'view-shaping');
  await click(panel, 'consumer-pause');
  await waitFor('the consumer shown paused', async () => (await attributeOf(panel, 'consumer-state', 'data-state')) === 'paused');

  const messages = [0, 1, 2, 3, 4].map((i) => `m${i}-${run}`);
  await socket.send(messages);
  await waitFor('5 messages held for the consumer', async () => (await heldMessages(panel, 'consumer')) === 5);
  expect(await socket.received()).toEqual([`hi-${run}`]);

  await click(panel, 'consumer-step');
  await socket.waitForReceived([messages[0]]);
  await waitFor('4 messages held', async () => (await heldMessages(panel, 'consumer')) === 4);
  expect(await socket.received()).toEqual([`hi-${run}`, messages[0]]);

  await click(panel, 'consumer-pause'); // now "Resume"
  await socket.waitForReceived(messages);
  expect(await socket.received()).toEqual([`hi-${run}`, ...messages]);
  await waitFor('nothing held', async () => (await heldMessages(panel, 'consumer')) === 0);

  // Past 64 MiB held the panel warns; nothing is lost, and delivery goes on once resumed.
  const bulk = await PageSocket.open(page, `${server.wsUrl}/bulk?run=${run}`);
  await selectSocket(panel, bulk.url);
  await click(panel, 'consumer-pause');
  await waitFor('the consumer shown paused', async () => (await attributeOf(panel, 'consumer-state', 'data-state')) === 'paused');
  await bulk.send(['65x1048576']);
  // 65 MiB through the shim, the recorder and a DevTools window on two cores: seconds.
  await waitFor('the over-cap warning', async () => (await count(panel, '[data-testid=held-over-cap]')) === 1, { timeoutMs: 60_000 });
  expect(await bulk.receivedCount()).toBe(0);
  await click(panel, 'consumer-pause'); // "Resume"
  await waitFor('all 65 delivered', async () => (await bulk.receivedCount()) === 65, { timeoutMs: 60_000 });
  await waitFor('the warning gone', async () => (await count(panel, '[data-testid=held-over-cap]')) === 0);

  // The charts drew what happened.
  expect(await count(panel, '[data-testid=socket-chart] canvas')).toBe(5);
  expect(Number(await attributeOf(panel, 'socket-charts', 'data-samples'))).toBeGreaterThan(0);
}

/** A custom rule by URL delays the page's messages; a rule for the selected socket drops it (1006); one click turns all off. */
export async function customRulesApply({ page, panel, server, run }: ShapingSetup): Promise<void> {
  const socket = await PageSocket.open(page, echoUrl(server, `custom-${run}`));
  await socket.waitForReceived([`custom-${run}`]);
  const fast = await socket.roundTripMs(`fast-${run}`);
  expect(fast).not.toBeNull();

  expect(await addRule(panel, { scope: 'url', pattern: `custom-${run}`, values: { 'down.latencyMs': '400' } })).toBeNull();
  await click(panel, 'rule-done');
  await selectSocket(panel, socket.url);
  await waitFor('the socket marked shaped', async () => (await count(panel, '[aria-selected=true] [data-testid=shaped-badge]')) === 1);
  expect(await socket.roundTripMs(`slow-${run}`)).toBeGreaterThanOrEqual(390);

  expect(await addRule(panel, { scope: 'socket', offline: 'drop' })).toBeNull();
  await click(panel, 'rule-done');
  await waitFor('the page to see an abnormal closure', async () => (await socket.closeCode()) === 1006);

  await click(panel, 'shaping-off');
  await waitFor('no rules left', async () => (await count(panel, '[data-testid=shaping-off]')) === 0);
}

/** Resume overrides a rule that pauses the consumer, and delivers what it held; "Follow rule" gives the rule back its say. */
export async function resumeOverridesARule({ page, panel, server, run }: ShapingSetup): Promise<void> {
  const socket = await PageSocket.open(page, echoUrl(server, `override-${run}`));
  await socket.waitForReceived([`override-${run}`]);
  await selectSocket(panel, socket.url);
  expect(await addRule(panel, { scope: 'socket', consumerPaused: true })).toBeNull();
  await click(panel, 'rule-done');
  await click(panel, 'view-shaping');
  const state = async () => [await attributeOf(panel, 'consumer-state', 'data-state'), await attributeOf(panel, 'consumer-state', 'data-overridden')];
  await waitFor('the consumer paused by the rule', async () => (await state()).join() === 'paused,false');
  expect(await count(panel, '[data-testid=consumer-follow-rule]')).toBe(0);

  const messages = [`r0-${run}`, `r1-${run}`];
  await socket.send(messages);
  await waitFor('2 messages held for the consumer', async () => (await heldMessages(panel, 'consumer')) === 2);
  await click(panel, 'consumer-pause'); // "Resume"
  await socket.waitForReceived(messages);
  expect(await socket.received()).toEqual([`override-${run}`, ...messages]);
  await waitFor('the consumer reading, by the user over the rule', async () => (await state()).join() === 'reading,true');

  await click(panel, 'consumer-follow-rule');
  await waitFor('the rule pausing the consumer again', async () => (await state()).join() === 'paused,false');
  await socket.send([`r2-${run}`]);
  await waitFor('the next message held', async () => (await heldMessages(panel, 'consumer')) === 1);
  expect(await socket.received()).toEqual([`override-${run}`, ...messages]);
  await click(panel, 'shaping-off');
  await socket.waitForReceived([`r2-${run}`]);
}

/**
 * With a rule in force, a page whose socket opens while it parses gets its
 * first message only after the rule's delay: rules apply from the first
 * message, in the page and in a sandboxed frame of it.
 */
export async function rulesApplyFromTheFirstMessage(
  { panel, server, run }: ShapingSetup,
  goto: (url: string) => Promise<unknown>,
  page: () => Evaluator,
): Promise<void> {
  expect(await addRule(panel, { scope: 'url', pattern: `early-${run}`, values: { 'down.latencyMs': '600' } })).toBeNull();
  await click(panel, 'rule-done');
  // A sandboxed frame's socket, opened as the frame loads, too.
  await goto(`${server.url}early.html?socket=${encodeURIComponent(echoUrl(server, `early-${run}`))}&frame=${encodeURIComponent(echoUrl(server, `early-${run}-frame`))}`);
  for (const [list, greeting] of [['early', `early-${run}`], ['earlyFrame', `early-${run}-frame`]]) {
    const early = await waitFor(`the greeting at the early socket (window.${list})`, async () => {
      const seen = await page().evaluate<{ data: string; ms: number }[]>(`window.${list}`);
      return seen.length > 0 && seen;
    });
    expect(early[0].data).toBe(greeting);
    expect(early[0].ms).toBeGreaterThanOrEqual(590);
  }
  await click(panel, 'shaping-off');
}
