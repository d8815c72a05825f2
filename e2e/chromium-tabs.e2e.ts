// Several tabs inspected at once stay separate: the background routes by tab,
// so each tab's DevTools panel shows that tab's sockets and frames only.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { allFrameTexts, DIST_CHROME, launchChromium, openSockscopeInDevTools, rowTexts, selectSocket, waitForFrames, type ChromiumSession, type DevToolsPanel } from './browsers';
import { countContaining, echoUrl, payload, startDemoServer, testPageUrl, token, type DemoServer } from './fixtures';
import { PageSocket, pageEvaluator } from './lib/page-socket';

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

test('two tabs inspected at once each show only their own traffic', async () => {
  // One after the other: the harness finds each panel by the DevTools window it just opened.
  const tabs = [];
  for (const name of ['a', 'b']) {
    const run = token();
    const page = await chromium.context.newPage();
    const url = testPageUrl(server, run);
    await page.goto(url);
    const panel = await openSockscopeInDevTools(chromium.debuggingPort!, chromium.extensionId!, url);
    panels.push(panel);
    tabs.push({ page, panel, up: payload('up', name, run), down: payload('down', name, run) });
  }

  const sockets = [];
  for (const tab of tabs) {
    const socket = await PageSocket.open(pageEvaluator(tab.page), echoUrl(server, tab.down));
    await socket.send([tab.up]);
    await socket.waitForReceived([tab.down, tab.up]);
    sockets.push(socket);
  }

  for (const [i, tab] of tabs.entries()) {
    const other = tabs[1 - i];
    await selectSocket(tab.panel, sockets[i].url);
    await waitForFrames(tab.panel, { [tab.up]: 2, [tab.down]: 1 });
    expect(await rowTexts(tab.panel, 'socket-row')).toHaveLength(1);
    const frames = await allFrameTexts(tab.panel);
    expect(frames).toHaveLength(3);
    expect(countContaining(frames, other.up) + countContaining(frames, other.down)).toBe(0);
  }
});
