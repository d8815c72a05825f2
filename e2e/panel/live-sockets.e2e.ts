// The panel shows a page's sockets and their messages as they happen: opened
// before or after the traffic, one tab's panel per tab, a table that follows
// new messages, a socket list to filter and sort, a log kept across reloads.
import { expect } from 'vitest';
import { describeIn, describeInBrowsers } from '../fixtures';
import type { DemoServer } from '../demo/server';
import { undockDevTools, type Evaluator } from '../lib/devtools';
import { PageSocket } from '../lib/page-socket';
import { allMessageTexts, click, rowTexts, selectSocket, setField, waitForMessages } from '../lib/panel';
import { countContaining, echoUrl, expectEchoExchange, payload, token } from '../lib/traffic';
import { waitFor } from '../lib/wait';

describeInBrowsers((test) => {
  test('a panel opened late shows the messages exchanged before it opened, and live ones after', async ({ browser }) => {
    const run = token();
    const up = payload('early-up', run);
    const down = payload('early-down', run);
    const { page, url } = await browser.openTab(run);

    const socket = await echoedOnce(page, browser.server, up, down);

    const panel = await browser.openPanel(url);
    await expectEchoExchange(panel, socket.url, up, down);

    // Live traffic after the panel opened arrives too.
    const later = payload('later', run);
    await socket.send([later]);
    await socket.waitForReceived([later]);
    expect(countContaining(await waitForMessages(panel, { [later]: 2 }), later)).toBe(2);
  });
});

describeIn('Chromium', (test) => {
  test('shows a live socket and its messages in both directions', async ({ browser }) => {
    const run = token();
    const up = payload('up', run);
    const down = payload('down', run);
    const { page, panel } = await browser.inspect(run);

    const socket = await echoedOnce(page, browser.server, up, down);

    await expectEchoExchange(panel, socket.url, up, down);
  });

  // The background routes by tab: each tab's panel shows that tab's traffic only.
  test('two tabs inspected at once each show only their own traffic', async ({ browser }) => {
    // One after the other: the harness finds each panel by the DevTools window it just opened.
    const tabs = [];
    for (const name of ['a', 'b']) {
      const run = token();
      const { page, panel } = await browser.inspect(run);
      tabs.push({ page, panel, up: payload('up', name, run), down: payload('down', name, run) });
    }
    const sockets = [];
    for (const tab of tabs) {
      const socket = await PageSocket.open(tab.page, echoUrl(browser.server, tab.down));
      await socket.send([tab.up]);
      await socket.waitForReceived([tab.down, tab.up]);
      sockets.push(socket);
    }
    for (const [i, tab] of tabs.entries()) {
      const other = tabs[1 - i];
      await expectEchoExchange(tab.panel, sockets[i].url, tab.up, tab.down);
      expect(await rowTexts(tab.panel, 'socket-row')).toHaveLength(1);
      const rows = await allMessageTexts(tab.panel);
      expect(rows).toHaveLength(3);
      expect(countContaining(rows, other.up) + countContaining(rows, other.down)).toBe(0);
    }
  });

  test('the message table follows new messages until scrolled up; Latest brings them back', async ({ browser }) => {
    const run = token();
    const { page, panel } = await browser.inspect(run);
    const message = (i: number) => payload('tail', run, i);
    const messages = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => message(from + i));
    const socket = await PageSocket.open(page, echoUrl(browser.server, message(0)));
    await selectSocket(panel, socket.url);
    // Far more rows than the table shows: only rows near the view are in the DOM.
    await socket.send(messages(1, 100));
    const inDom = async (i: number) => (await rowTexts(panel, 'message-row')).some((t) => t.includes(message(i)));
    const table = (script: string) => panel.evaluate<unknown>(`(() => { const t = document.querySelector('[data-testid=message-table]'); ${script} })()`);
    await waitFor('the newest message in view, the oldest not', async () => (await inDom(100)) && !(await inDom(0)));

    await table('t.scrollTop = 0;');
    await waitFor('the oldest message in view and a Latest button', async () => (await inDom(0)) && (await panel.evaluate('!!document.querySelector("[data-testid=jump-latest]")')));
    await socket.send(messages(101, 150));
    // 1 greeting + 150 sent + 150 echoed, and the header row.
    await waitFor('the panel to hold all 301 messages', async () => (await table('return t.getAttribute("aria-rowcount");')) === '302');
    expect(await inDom(0)).toBe(true);
    expect(await inDom(150)).toBe(false);

    await panel.evaluate('document.querySelector("[data-testid=jump-latest]").click()');
    await waitFor('the newest message in view again', () => inDom(150));
    expect(await panel.evaluate('!!document.querySelector("[data-testid=jump-latest]")')).toBe(false);
    await socket.send(messages(151, 160));
    await waitFor('following again: message 160 in view', () => inDom(160));

    // A table that mounts with its messages already there starts at the newest.
    const other = await PageSocket.open(page, echoUrl(browser.server, payload('other', run)));
    await selectSocket(panel, other.url);
    await selectSocket(panel, socket.url);
    await waitFor('the newest message in view when the table mounts', () => inDom(160));
    expect(await inDom(0)).toBe(false);
    expect(await panel.evaluate('!!document.querySelector("[data-testid=jump-latest]")')).toBe(false);

    // A taller table clamps the scroll position. Under load Chromium can dispatch that clamp's scroll
    // event before the ResizeObserver reports the new height; play that order: still following.
    await table('t.style.maxHeight = "120px";');
    await waitFor('the short table pinned to its end', () => table('return t.scrollTop > 0 && t.scrollTop >= t.scrollHeight - t.clientHeight - 1;'));
    await table('t.style.maxHeight = ""; t.dispatchEvent(new Event("scroll"));');
    expect(await panel.evaluate('!!document.querySelector("[data-testid=jump-latest]")')).toBe(false);
    // A taller window clamps the scroll position: still following.
    await undockDevTools(panel, { width: 900, height: 500 });
    await undockDevTools(panel, { width: 1280, height: 900 });
    await socket.send(messages(161, 170));
    await waitFor('message 170 in view after the window grew', () => inDom(170));
    expect(await panel.evaluate('!!document.querySelector("[data-testid=jump-latest]")')).toBe(false);
  });

  test('Preserve log keeps the sockets of the page before a reload, marked; off, a reload clears them', async ({ browser }) => {
    const run = token();
    const { page, tab, panel } = await browser.inspect(run);
    const first = await PageSocket.open(page, echoUrl(browser.server, `before-${run}`));
    await first.waitForReceived([`before-${run}`]);
    await selectSocket(panel, first.url);
    await panel.evaluate(`document.querySelector('[data-testid=preserve-log]').click()`);
    await tab.reload();
    const second = await PageSocket.open(page, echoUrl(browser.server, `after-${run}`));
    await second.waitForReceived([`after-${run}`]);
    await selectSocket(panel, second.url);
    const rows = await rowTexts(panel, 'socket-row');
    expect(rows).toHaveLength(2);
    expect(rows.find((row) => row.includes(`before-${run}`))).toContain('earlier page');
    expect(rows.find((row) => row.includes(`after-${run}`))).not.toContain('earlier page');

    await panel.evaluate(`document.querySelector('[data-testid=preserve-log]').click()`);
    await tab.reload();
    const third = await PageSocket.open(page, echoUrl(browser.server, `again-${run}`));
    await selectSocket(panel, third.url);
    await waitFor('only the new page\'s socket', async () => (await rowTexts(panel, 'socket-row')).length === 1);
  });

  test('the socket list filters by URL and sorts by messages', async ({ browser }) => {
    const run = token();
    const { page, panel } = await browser.inspect(run);
    const quiet = await PageSocket.open(page, echoUrl(browser.server, `quiet-${run}`));
    const busy = await PageSocket.open(page, echoUrl(browser.server, `busy-${run}`));
    await busy.send(['1', '2', '3']);
    await busy.waitForReceived(['1', '2', '3']);
    await selectSocket(panel, quiet.url);
    await waitFor('both sockets listed', async () => (await rowTexts(panel, 'socket-row')).length === 2);
    const first = async () => (await rowTexts(panel, 'socket-row'))[0];
    expect(await first()).toContain(`quiet-${run}`);
    await setField(panel, 'socket-sort', 'messages');
    await click(panel, 'socket-sort-direction');
    await waitFor('the busy socket first', async () => (await first()).includes(`busy-${run}`));
    await setField(panel, 'socket-query', `QUIET-${run}`);
    await waitFor('only the quiet socket', async () => (await rowTexts(panel, 'socket-row')).length === 1 && (await first()).includes(`quiet-${run}`));
    await setField(panel, 'socket-query', 'no such socket');
    await waitFor('none, and the filter still there', async () => (await rowTexts(panel, 'socket-row')).length === 0 && (await panel.evaluate<boolean>(`!!document.querySelector('[data-testid=socket-query]')`)));
  });
});

/** A page socket to the echo server, which greets it with `down`; `up` sent and echoed. */
async function echoedOnce(page: Evaluator, server: DemoServer, up: string, down: string): Promise<PageSocket> {
  const socket = await PageSocket.open(page, echoUrl(server, down));
  await socket.send([up]);
  await socket.waitForReceived([down, up]);
  return socket;
}
