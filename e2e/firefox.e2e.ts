// The built extension in Firefox. WebDriver BiDi cannot drive Firefox's
// DevTools toolbox, so the panel is opened as an extension tab pointed at
// the page's tab (panel/index.html?tabId=N), which the panel supports.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { DIST_FIREFOX, launchFirefox, openPanelPage, rowTexts, selectSocket, sleep, waitFor, waitForMessages, type FirefoxSession } from './browsers';
import {
  countContaining,
  directionsOf,
  echoUrl,
  expectEchoExchange,
  payload,
  startDemoServer,
  testPageUrl,
  token,
  type DemoServer,
} from './fixtures';
import { PageSocket, pageEvaluator } from './lib/page-socket';
import { readFileSync } from 'node:fs';
import { decodesProtocols, filtersALargeLog, filtersMessages, harRoundTrip, showsMessagesInFull, survivesHostilePayloads } from './lib/messages-scenario';
import { decodesRealClients } from './lib/protocols-scenario';
import { customRulesApply, drivesTheConsumer, refusesBadRules, resumeOverridesARule, rulesApplyFromTheFirstMessage } from './lib/shaping-scenario';

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
  expect(countContaining(await waitForMessages(panel, { [later]: 2 }), later)).toBe(2);
});

test('"Provide WebSocketStream" supplies one to the origin from its next load; the panel shows its socket and frames', async () => {
  const run = token();
  const url = testPageUrl(server, run);
  const page = await firefox.browser.newPage();
  await page.goto(url);
  const hasStream = () => page.evaluate(`typeof WebSocketStream === 'function' && typeof WebSocketError === 'function'`);
  expect(await hasStream()).toBe(false);

  const panel = await openPanelPage(firefox, url);
  const toggle = '[data-testid=provide-websocket-stream]';
  const switchState = () => panel.evaluate<[boolean, boolean] | null>(`(() => {
    const input = document.querySelector(${JSON.stringify(toggle)});
    return input ? [input.checked, input.disabled] : null;
  })()`);
  await waitFor('the switch, off and enabled', async () => JSON.stringify(await switchState()) === '[false,false]');
  await panel.evaluate(`document.querySelector(${JSON.stringify(toggle)}).click()`);
  await waitFor('the switch on', async () => (await switchState())?.[0] === true);
  expect(await hasStream(), 'not before the next load').toBe(false);

  await page.reload();
  expect(await hasStream()).toBe(true);
  const up = payload('stream-up', run);
  const down = payload('stream-down', run);
  const socketUrl = echoUrl(server, down);
  const echoed = await page.evaluate(
    async ({ socketUrl, up }) => {
      const stream = new (globalThis as unknown as { WebSocketStream: new (url: string) => any }).WebSocketStream(socketUrl);
      const { readable, writable } = await stream.opened;
      const reader = readable.getReader();
      const greeting = (await reader.read()).value;
      await writable.getWriter().write(up);
      const echo = (await reader.read()).value;
      return [greeting, echo];
    },
    { socketUrl, up },
  );
  expect(echoed).toEqual([down, up]);

  await selectSocket(panel, socketUrl);
  const row = (await rowTexts(panel, 'socket-row')).find((text) => text.includes(socketUrl)) ?? '';
  expect(row).toContain('WebSocketStream');
  expect(row).toContain('provided');
  const frames = await waitForMessages(panel, { [up]: 2, [down]: 1 });
  expect(directionsOf(frames, up)).toEqual(['Received', 'Sent']);

  // Remembered for the origin: a new panel shows it on; another origin does not get it.
  const again = await openPanelPage(firefox, url);
  await waitFor('the switch remembered on', async () => (await again.evaluate<boolean | null>(`document.querySelector(${JSON.stringify(toggle)})?.checked ?? null`)) === true);
  const elsewhere = await firefox.browser.newPage();
  await elsewhere.goto(url.replace('127.0.0.1', 'localhost'));
  expect(await elsewhere.evaluate(`typeof WebSocketStream`)).toBe('undefined');

  // Off again: the next load goes without.
  await again.evaluate(`document.querySelector(${JSON.stringify(toggle)}).click()`);
  await waitFor('the switch off', async () => (await again.evaluate<boolean | null>(`document.querySelector(${JSON.stringify(toggle)})?.checked ?? null`)) === false);
  await page.reload();
  expect(await hasStream()).toBe(false);
});

test('shaping from the panel: a preset applies at once and after a reload, is shown again in a new panel, and turns off in one click', async () => {
  const run = token();
  const url = testPageUrl(server, run);
  const page = await firefox.browser.newPage();
  await page.goto(url);
  const panel = await openPanelPage(firefox, url);
  const select = JSON.stringify('[data-testid=shaping-preset]');
  const preset = () => panel.evaluate<string | null>(`document.querySelector(${select})?.value ?? null`);
  await waitFor('the shaping control', async () => (await preset()) === '');

  /** Opens a socket, sends a message, and reports whether its echo came back within `ms`. */
  const echoWithin = (ms: number) =>
    page.evaluate(
      async ({ socketUrl, ms }) => {
        const ws = new WebSocket(socketUrl);
        (globalThis as unknown as { last: WebSocket }).last = ws;
        await new Promise((resolve) => ws.addEventListener('open', resolve));
        const echo = new Promise((resolve) => ws.addEventListener('message', (event) => event.data === 'ping' && resolve(true)));
        ws.send('ping');
        return Promise.race([echo, new Promise((resolve) => setTimeout(() => resolve(false), ms))]);
      },
      { socketUrl: echoUrl(server, 'hi'), ms },
    );
  expect(await echoWithin(2_000)).toBe(true);

  await panel.evaluate(`(() => { const s = document.querySelector(${select}); s.value = 'stalled'; s.dispatchEvent(new Event('change', { bubbles: true })); })()`);
  await waitFor('the preset chosen', async () => (await preset()) === 'stalled');
  // The socket already open is marked as shaped.
  await waitFor('a socket row marked shaped', async () => (await rowTexts(panel, 'socket-row')).some((row) => row.includes('shaped')));
  await sleep(200);
  expect(await echoWithin(500), 'stalled: no echo').toBe(false);

  // After a reload the page's new sockets are stalled too, and a new panel shows the preset.
  await page.reload();
  expect(await echoWithin(500), 'stalled after a reload').toBe(false);
  const again = await openPanelPage(firefox, url);
  await waitFor('the preset shown in a new panel', async () => (await again.evaluate<string | null>(`document.querySelector(${select})?.value ?? null`)) === 'stalled');

  // One click turns it all off: what was held goes through.
  const released = page.evaluate(() => {
    const seen: unknown[] = [];
    const ws = (globalThis as unknown as { last: WebSocket }).last;
    return new Promise((resolve) => ws.addEventListener('message', (event) => seen.push(event.data) === 2 && resolve(seen)));
  });
  await again.evaluate(`document.querySelector('[data-testid=shaping-off]').click()`);
  // The server's greeting was held as well, ahead of the echo.
  expect(await released).toEqual(['hi', 'ping']);
  expect(await echoWithin(2_000)).toBe(true);
});

/** A new tab on a unique fixture page, and a panel pointed at it. */
async function openTestPage(run: string, path?: string) {
  const url = testPageUrl(server, run, path);
  const tab = await firefox.browser.newPage();
  await tab.goto(url);
  return { tab, page: pageEvaluator(tab), panel: await openPanelPage(firefox, url) };
}

test('shaping from the panel: bad rules refused, the consumer paused and stepped, rules by URL and for one socket, Resume over a rule that pauses, rules from the first frame', async () => {
  const run = token();
  const { tab, page, panel } = await openTestPage(run);
  const setup = { page, panel, server, run };
  await refusesBadRules(setup);
  await drivesTheConsumer(setup);
  await customRulesApply(setup);
  await resumeOverridesARule(setup);
  await rulesApplyFromTheFirstMessage(setup, (to) => tab.goto(to), () => page);
});

test("the messages filter: text and /regex/ highlighted, directions, heartbeats and the user's patterns, all sockets, chips, keyboard, a bad query, markup kept as text", async () => {
  const run = token();
  const { page, panel } = await openTestPage(run);
  await filtersMessages(page, panel, server, run);
});

test('a filter over a large log: the older part searched by the worker, its matches joined', async () => {
  const run = token();
  const { page, panel } = await openTestPage(run);
  await filtersALargeLog(page, panel, server, run);
});

test('a frame in full: JSON tree with paths, ten thousand levels deep, a hex dump, the keyboard; markup stays text', async () => {
  const run = token();
  const { page, panel } = await openTestPage(run);
  await showsMessagesInFull(page, panel, server, run);
});

test("HAR: export, then import read-only; a HAR Chrome's DevTools exported imports; a bad file says why", async () => {
  const run = token();
  const { page, panel } = await openTestPage(run);
  await harRoundTrip(page, panel, server, run, readFileSync(new URL('data/chrome-websocket.har', import.meta.url), 'utf8'));
});

test('hostile payloads stay text and the panel stays usable', async () => {
  const run = token();
  const { page, panel } = await openTestPage(run);
  await survivesHostilePayloads(page, panel, server, run);
});

test('protocol decoders: detected from the first frames, chosen by hand, the raw frame a click away', async () => {
  const run = token();
  const { page, panel } = await openTestPage(run);
  await decodesProtocols(page, panel, server, run);
});

test('each decoder on the traffic of the real client library that speaks it', async () => {
  const { page, panel } = await openTestPage(token(), 'protocols.html');
  await decodesRealClients(page, panel);
});
