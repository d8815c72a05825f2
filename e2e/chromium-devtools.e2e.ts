// The built extension in Chromium, read through the real DevTools window.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { allFrameTexts, DIST_CHROME, launchChromium, openSockscopeInDevTools, rowTexts, type ChromiumSession, type DevToolsPanel } from './browsers';
import { countContaining, echoUrl, expectEchoExchange, payload, startDemoServer, testPageUrl, token, type DemoServer } from './fixtures';
import { PageSocket, pageEvaluator } from './lib/page-socket';

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
  async function openTestPage(run: string) {
    const page = await chromium.context.newPage();
    const url = testPageUrl(server, run);
    await page.goto(url);
    return { page: pageEvaluator(page), url };
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
      const frames = await allFrameTexts(tab.panel);
      expect(frames).toHaveLength(3);
      expect(countContaining(frames, other.up) + countContaining(frames, other.down)).toBe(0);
    }
  });
});
