// The built extension in Firefox. WebDriver BiDi cannot drive Firefox's
// DevTools toolbox, so the panel is opened as an extension tab pointed at
// the page's tab (panel/index.html?tabId=N), which the panel supports.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { DIST_FIREFOX, launchFirefox, openPanelPage, waitForFrames, type FirefoxSession } from './browsers';
import { countContaining, echoUrl, expectEchoExchange, payload, startDemoServer, testPageUrl, token, type DemoServer } from './fixtures';
import { PageSocket, pageEvaluator } from './lib/page-socket';

let server: DemoServer;
let firefox: FirefoxSession;

beforeAll(async () => {
  server = await startDemoServer();
  firefox = await launchFirefox({ extension: DIST_FIREFOX });
});

afterAll(async () => {
  await firefox?.close();
  await server?.close();
});

test('the panel shows the socket and its frames in both directions', async () => {
  const run = token();
  const up = payload('up', run);
  const down = payload('down', run);
  const page = await firefox.browser.newPage();
  const url = testPageUrl(server, run);
  await page.goto(url);

  const socket = await PageSocket.open(pageEvaluator(page), echoUrl(server, down));
  await socket.send([up]);
  await socket.waitForReceived([down, up]);

  const panel = await openPanelPage(firefox, url);
  await expectEchoExchange(panel, socket.url, up, down);

  // Live traffic after the panel opened arrives too.
  const later = payload('later', run);
  await socket.send([later]);
  await socket.waitForReceived([later]);
  expect(countContaining(await waitForFrames(panel, { [later]: 2 }), later)).toBe(2);
});
