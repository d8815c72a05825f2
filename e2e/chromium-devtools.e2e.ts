// The built extension in Chromium, read through the real DevTools window.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DIST_CHROME, launchChromium, openSockscopeInDevTools, rowTexts, selectSocket, waitForFrames, type ChromiumSession, type DevToolsPanel } from './browsers';
import { countContaining, directionsOf, echoUrl, payload, startDemoServer, testPageUrl, token, type DemoServer } from './fixtures';
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

    await selectSocket(panel, socket.url);
    expect((await rowTexts(panel, 'socket-row')).filter((t) => t.includes(socket.url))).toHaveLength(1);
    const frames = await waitForFrames(panel, { [up]: 2, [down]: 1 });
    // Sent once and echoed once; the greeting arrived once.
    expect(countContaining(frames, up)).toBe(2);
    expect(countContaining(frames, down)).toBe(1);
    expect(directionsOf(frames, up)).toEqual(['Received', 'Sent']);
    expect(directionsOf(frames, down)).toEqual(['Received']);
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
    await selectSocket(panel, socket.url);
    const frames = await waitForFrames(panel, { [up]: 2, [down]: 1 });
    expect(countContaining(frames, up)).toBe(2);
    expect(countContaining(frames, down)).toBe(1);
    expect(directionsOf(frames, up)).toEqual(['Received', 'Sent']);
    expect(directionsOf(frames, down)).toEqual(['Received']);
  });
});
