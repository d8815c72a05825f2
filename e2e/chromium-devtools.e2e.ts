// The built extension in Chromium, read through the real DevTools window.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  allMessageTexts,
  DIST_CHROME,
  launchChromium,
  openSockscopeInDevTools,
  rowTexts,
  selectSocket,
  undockDevTools,
  type ChromiumSession,
  type DevToolsPanel,
} from './browsers';
import { countContaining, echoUrl, expectEchoExchange, payload, startDemoServer, testPageUrl, token, type DemoServer } from './fixtures';
import { PageSocket, pageEvaluator } from './lib/page-socket';
import { networkPanelHar, networkPanelImport } from './lib/devtools';
import { click, exported, importFile, openRow, setField, textOf } from './lib/panel';
import { readFileSync } from 'node:fs';
import { decodesProtocols, filtersALargeLog, filtersMessages, harRoundTrip, showsMessagesInFull, survivesHostilePayloads } from './lib/messages-scenario';
import { decodesRealClients } from './lib/protocols-scenario';
import { customRulesApply, drivesTheConsumer, refusesBadRules, resumeOverridesARule, rulesApplyFromTheFirstMessage } from './lib/shaping-scenario';
import { waitFor } from './lib/wait';

describe('Chromium: the Sockscope panel in the real DevTools window', () => {
  let server: DemoServer;
  let chromium: ChromiumSession;
  const panels: DevToolsPanel[] = [];

  beforeAll(async () => {
    server = await startDemoServer();
    chromium = await launchChromium({ extension: DIST_CHROME, devtools: true });
  });

  afterAll(async () => {
    for (const panel of panels) panel.close();
    await chromium?.close();
    await server?.close();
  });

  /** A new tab (with its own DevTools window) on a unique fixture URL. */
  async function openTestPage(run: string, path?: string) {
    const page = await chromium.context.newPage();
    const url = testPageUrl(server, run, path);
    await page.goto(url);
    return { page: pageEvaluator(page), url, tab: page };
  }

  async function openPanel(pageUrl: string): Promise<DevToolsPanel> {
    const panel = await openSockscopeInDevTools(chromium.debuggingPort!, chromium.extensionId!, pageUrl);
    panels.push(panel);
    return panel;
  }

  test('shows a live socket and its frames in both directions', async () => {
    const run = token();
    const up = payload('up', run);
    const down = payload('down', run);
    const { page, url } = await openTestPage(run);
    const panel = await openPanel(url);

    const socket = await PageSocket.open(page, echoUrl(server, down));
    await socket.send([up]);
    await socket.waitForReceived([down, up]);

    await expectEchoExchange(panel, socket.url, up, down);
  });

  test('a panel opened late shows the frames exchanged before it opened', async () => {
    const run = token();
    const up = payload('early-up', run);
    const down = payload('early-down', run);
    const { page, url } = await openTestPage(run);

    const socket = await PageSocket.open(page, echoUrl(server, down));
    await socket.send([up]);
    await socket.waitForReceived([down, up]);

    const panel = await openPanel(url);
    await expectEchoExchange(panel, socket.url, up, down);
  });

  // The background routes by tab: each tab's panel shows that tab's traffic only.
  test('two tabs inspected at once each show only their own traffic', async () => {
    // One after the other: the harness finds each panel by the DevTools window it just opened.
    const tabs = [];
    for (const name of ['a', 'b']) {
      const run = token();
      const { page, url } = await openTestPage(run);
      tabs.push({ page, panel: await openPanel(url), up: payload('up', name, run), down: payload('down', name, run) });
    }
    const sockets = [];
    for (const tab of tabs) {
      const socket = await PageSocket.open(tab.page, echoUrl(server, tab.down));
      await socket.send([tab.up]);
      await socket.waitForReceived([tab.down, tab.up]);
      sockets.push(socket);
    }
    for (const [i, tab] of tabs.entries()) {
      const other = tabs[1 - i];
      await expectEchoExchange(tab.panel, sockets[i].url, tab.up, tab.down);
      expect(await rowTexts(tab.panel, 'socket-row')).toHaveLength(1);
      const frames = await allMessageTexts(tab.panel);
      expect(frames).toHaveLength(3);
      expect(countContaining(frames, other.up) + countContaining(frames, other.down)).toBe(0);
    }
  });

  test('the frame table follows new frames until scrolled up; Latest brings them back', async () => {
    const run = token();
    const { page, url } = await openTestPage(run);
    const panel = await openPanel(url);
    const message = (i: number) => payload('tail', run, i);
    const messages = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => message(from + i));
    const socket = await PageSocket.open(page, echoUrl(server, message(0)));
    await selectSocket(panel, socket.url);
    // Far more rows than the table shows: only rows near the view are in the DOM.
    await socket.send(messages(1, 100));
    const inDom = async (i: number) => (await rowTexts(panel, 'message-row')).some((t) => t.includes(message(i)));
    const table = (script: string) => panel.evaluate<unknown>(`(() => { const t = document.querySelector('[data-testid=message-table]'); ${script} })()`);
    await waitFor('the newest frame in view, the oldest not', async () => (await inDom(100)) && !(await inDom(0)));

    await table('t.scrollTop = 0;');
    await waitFor('the oldest frame in view and a Latest button', async () => (await inDom(0)) && (await panel.evaluate('!!document.querySelector("[data-testid=jump-latest]")')));
    await socket.send(messages(101, 150));
    // 1 greeting + 150 sent + 150 echoed, and the header row.
    await waitFor('the panel to hold all 301 frames', async () => (await table('return t.getAttribute("aria-rowcount");')) === '302');
    expect(await inDom(0)).toBe(true);
    expect(await inDom(150)).toBe(false);

    await panel.evaluate('document.querySelector("[data-testid=jump-latest]").click()');
    await waitFor('the newest frame in view again', () => inDom(150));
    expect(await panel.evaluate('!!document.querySelector("[data-testid=jump-latest]")')).toBe(false);
    await socket.send(messages(151, 160));
    await waitFor('following again: frame 160 in view', () => inDom(160));

    // A table that mounts with its frames already there starts at the newest.
    const other = await PageSocket.open(page, echoUrl(server, payload('other', run)));
    await selectSocket(panel, other.url);
    await selectSocket(panel, socket.url);
    await waitFor('the newest frame in view when the table mounts', () => inDom(160));
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
    await waitFor('frame 170 in view after the window grew', () => inDom(170));
    expect(await panel.evaluate('!!document.querySelector("[data-testid=jump-latest]")')).toBe(false);
  });

  test('a WebSocketStream shows with its kind and its frames in both directions', async () => {
    const run = token();
    const up = payload('stream-up', run);
    const down = payload('stream-down', run);
    const { page, url } = await openTestPage(run);
    const panel = await openPanel(url);
    const socketUrl = echoUrl(server, down);
    const received = await page.evaluate<string[]>(`(async () => {
      const stream = new WebSocketStream(${JSON.stringify(socketUrl)});
      const { readable, writable } = await stream.opened;
      const reader = readable.getReader();
      const got = [(await reader.read()).value];
      await writable.getWriter().write(${JSON.stringify(up)});
      got.push((await reader.read()).value);
      return got;
    })()`);
    expect(received).toEqual([down, up]);
    await expectEchoExchange(panel, socketUrl, up, down);
    const row = (await rowTexts(panel, 'socket-row')).find((text) => text.includes(socketUrl));
    expect(row).toContain('WebSocketStream');
  });

  test('shaping from the panel: bad rules refused, the consumer paused and stepped, rules by URL and for one socket, Resume over a rule that pauses, rules from the first frame', async () => {
    const run = token();
    const { page, url, tab } = await openTestPage(run);
    const setup = { page, panel: await openPanel(url), server, run };
    await refusesBadRules(setup);
    await drivesTheConsumer(setup);
    await customRulesApply(setup);
    await resumeOverridesARule(setup);
    await rulesApplyFromTheFirstMessage(setup, (to) => tab.goto(to), () => page);
  });

  test('"WebSocket over stream" carries the page\'s WebSockets from its next load, marked in the panel', async () => {
    const run = token();
    const { page, url, tab } = await openTestPage(run);
    const panel = await openPanel(url);
    const toggle = JSON.stringify('[data-testid=websocket-over-stream]');
    const checked = () => panel.evaluate<boolean | null>(`document.querySelector(${toggle})?.checked ?? null`);
    await waitFor('the switch, off', async () => (await checked()) === false && (await panel.evaluate<boolean>(`!document.querySelector(${toggle}).disabled`)));
    await panel.evaluate(`document.querySelector(${toggle}).click()`);
    await waitFor('the switch on', async () => (await checked()) === true);

    /** Reloads, echoes once over a new socket, and says whether its row is marked "over stream". */
    const carried = async (name: string) => {
      await tab.reload();
      const socket = await PageSocket.open(page, echoUrl(server, `${name}-${run}`));
      await socket.send([`echo-${name}-${run}`]);
      await socket.waitForReceived([`${name}-${run}`, `echo-${name}-${run}`]);
      await selectSocket(panel, socket.url);
      const row = await waitFor('the socket row', async () => (await rowTexts(panel, 'socket-row')).find((text) => text.includes(socket.url)));
      return row;
    };
    const warnings: string[] = [];
    tab.on('console', (message) => warnings.push(message.text()));
    expect(await carried('on'), warnings.join('\n')).toContain('over stream');
    await panel.evaluate(`document.querySelector('[data-testid=view-shaping]').click()`);
    expect(await panel.evaluate<string>(`document.querySelector('[data-testid=shaping-status]').textContent`)).toContain('real: carried over a WebSocketStream');
    await panel.evaluate(`document.querySelector('[data-testid=view-messages]').click()`);

    await panel.evaluate(`document.querySelector(${toggle}).click()`);
    await waitFor('the switch off', async () => (await checked()) === false);
    expect(await carried('off')).not.toContain('over stream');
  });

  test("the messages filter: text and /regex/ highlighted, directions, heartbeats and the user's patterns, all sockets, chips, keyboard, a bad query, markup kept as text", async () => {
    const run = token();
    const { page, url } = await openTestPage(run);
    await filtersMessages(page, await openPanel(url), server, run);
  });

  test('a filter over a large log: the older part searched by the worker, its matches joined', async () => {
    const run = token();
    const { page, url } = await openTestPage(run);
    await filtersALargeLog(page, await openPanel(url), server, run);
  });

  test('a frame in full: JSON tree with paths, ten thousand levels deep, a hex dump, the keyboard; markup stays text', async () => {
    const run = token();
    const { page, url } = await openTestPage(run);
    await showsMessagesInFull(page, await openPanel(url), server, run);
  });

  test("HAR: export, then import read-only; a HAR Chrome's DevTools exported imports; a bad file says why", async () => {
    const run = token();
    const { page, url } = await openTestPage(run);
    await harRoundTrip(page, await openPanel(url), server, run, readFileSync(new URL('data/chrome-websocket.har', import.meta.url), 'utf8'));
  });

  test("HAR with Chrome's own Network panel, both ways: what it exports imports here, what we export imports there", async () => {
    const run = token();
    const { page, url } = await openTestPage(run);
    const panel = await openPanel(url);
    const socket = await PageSocket.open(page, echoUrl(server, `chrome-hello-${run}`));
    await socket.send([`chrome-up-${run}`]);
    await socket.sendBytes([0, 1, 2, 250]);
    await socket.waitForReceived([`chrome-up-${run}`]);
    const expected = [
      ['receive', 1, `chrome-hello-${run}`],
      ['send', 1, `chrome-up-${run}`],
      ['send', 2, 'AAEC+g=='],
      ['receive', 1, `chrome-up-${run}`],
      ['receive', 2, 'AAEC+g=='],
    ];
    const sorted = (frames: unknown[][] | null) => frames?.map((frame) => JSON.stringify(frame)).sort();

    await importFile(panel, `chrome-${run}.har`, await networkPanelHar(panel.devtools, socket.url, expected.length));
    await selectSocket(panel, socket.url);
    await waitFor("Chrome's five frames", async () => (await textOf(panel, 'filter-count')) === '5');
    await openRow(panel, `chrome-up-${run}`);
    await click(panel, 'file-close');

    await selectSocket(panel, socket.url);
    expect(sorted(await networkPanelImport(panel.devtools, await exported(panel, 'export-har'), socket.url))).toEqual(sorted(expected));
  });

  test('Preserve log keeps the sockets of the page before a reload, marked; off, a reload clears them', async () => {
    const run = token();
    const { page, url, tab } = await openTestPage(run);
    const panel = await openPanel(url);
    const first = await PageSocket.open(page, echoUrl(server, `before-${run}`));
    await first.waitForReceived([`before-${run}`]);
    await selectSocket(panel, first.url);
    await panel.evaluate(`document.querySelector('[data-testid=preserve-log]').click()`);
    await tab.reload();
    const second = await PageSocket.open(page, echoUrl(server, `after-${run}`));
    await second.waitForReceived([`after-${run}`]);
    await selectSocket(panel, second.url);
    const rows = await rowTexts(panel, 'socket-row');
    expect(rows).toHaveLength(2);
    expect(rows.find((row) => row.includes(`before-${run}`))).toContain('earlier page');
    expect(rows.find((row) => row.includes(`after-${run}`))).not.toContain('earlier page');

    await panel.evaluate(`document.querySelector('[data-testid=preserve-log]').click()`);
    await tab.reload();
    const third = await PageSocket.open(page, echoUrl(server, `again-${run}`));
    await selectSocket(panel, third.url);
    await waitFor('only the new page\'s socket', async () => (await rowTexts(panel, 'socket-row')).length === 1);
  });

  test('hostile payloads stay text and the panel stays usable', async () => {
    const run = token();
    const { page, url } = await openTestPage(run);
    await survivesHostilePayloads(page, await openPanel(url), server, run);
  });

  test('the socket list filters by URL and sorts by messages', async () => {
    const run = token();
    const { page, url } = await openTestPage(run);
    const panel = await openPanel(url);
    const quiet = await PageSocket.open(page, echoUrl(server, `quiet-${run}`));
    const busy = await PageSocket.open(page, echoUrl(server, `busy-${run}`));
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

  test('protocol decoders: detected from the first frames, chosen by hand, the raw frame a click away', async () => {
    const run = token();
    const { page, url } = await openTestPage(run);
    await decodesProtocols(page, await openPanel(url), server, run);
  });

  test('each decoder on the traffic of the real client library that speaks it', async () => {
    const { page, url } = await openTestPage(token(), 'protocols.html');
    await decodesRealClients(page, await openPanel(url));
  });
});
