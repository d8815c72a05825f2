// WebSocketStream in the panel: Chromium's own, with its kind shown, and
// classic sockets carried over it from the panel's switch; in Firefox, which
// has none, the one Sockscope provides from the panel's switch.
import { expect } from 'vitest';
import { describeIn } from '../fixtures';
import { PageSocket } from '../lib/page-socket';
import { rowTexts, selectSocket, waitForMessages } from '../lib/panel';
import { directionsOf, echoUrl, expectEchoExchange, payload, token } from '../lib/traffic';
import { waitFor } from '../lib/wait';

describeIn('Chromium', (test) => {
  test('a WebSocketStream shows with its kind and its messages in both directions', async ({ browser }) => {
    const run = token();
    const up = payload('stream-up', run);
    const down = payload('stream-down', run);
    const { page, panel } = await browser.inspect(run);
    const socketUrl = echoUrl(browser.server, down);
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

  test('"WebSocket over stream" carries the page\'s WebSockets from its next load, marked in the panel', async ({ browser }) => {
    const run = token();
    const { page, tab, panel } = await browser.inspect(run);
    const toggle = JSON.stringify('[data-testid=websocket-over-stream]');
    const checked = () => panel.evaluate<boolean | null>(`document.querySelector(${toggle})?.checked ?? null`);
    await waitFor('the switch, off', async () => (await checked()) === false && (await panel.evaluate<boolean>(`!document.querySelector(${toggle}).disabled`)));
    await panel.evaluate(`document.querySelector(${toggle}).click()`);
    await waitFor('the switch on', async () => (await checked()) === true);

    /** Reloads, echoes once over a new socket, and says whether its row is marked "over stream". */
    const carried = async (name: string) => {
      await tab.reload();
      const socket = await PageSocket.open(page, echoUrl(browser.server, `${name}-${run}`));
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
});

describeIn('Firefox', (test) => {
  test('"Provide WebSocketStream" supplies one to the origin from its next load; the panel shows its socket and messages', async ({ browser }) => {
    const run = token();
    const { tab: page, url } = await browser.openTab(run);
    const hasStream = () => page.evaluate(`typeof WebSocketStream === 'function' && typeof WebSocketError === 'function'`);
    expect(await hasStream()).toBe(false);

    const panel = await browser.openPanel(url);
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
    // Its frames too: an about:blank one, and a sandboxed one (an opaque origin).
    const inFrames = await page.evaluate(`new Promise((resolve) => {
      const blank = document.body.appendChild(document.createElement('iframe')).contentWindow;
      const sandboxed = document.createElement('iframe');
      sandboxed.setAttribute('sandbox', 'allow-scripts');
      sandboxed.srcdoc = '<script>parent.postMessage(typeof WebSocketStream, "*")<' + '/script>';
      addEventListener('message', (event) => resolve([typeof blank.WebSocketStream, event.data]), { once: true });
      document.body.append(sandboxed);
    })`);
    expect(inFrames).toEqual(['function', 'function']);
    const up = payload('stream-up', run);
    const down = payload('stream-down', run);
    const socketUrl = echoUrl(browser.server, down);
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
    const rows = await waitForMessages(panel, { [up]: 2, [down]: 1 });
    expect(directionsOf(rows, up)).toEqual(['Received', 'Sent']);

    // Remembered for the origin: a new panel shows it on; another origin does not get it.
    const again = await browser.openPanel(url);
    await waitFor('the switch remembered on', async () => (await again.evaluate<boolean | null>(`document.querySelector(${JSON.stringify(toggle)})?.checked ?? null`)) === true);
    const elsewhere = await browser.session.browser.newPage();
    await elsewhere.goto(url.replace('127.0.0.1', 'localhost'));
    expect(await elsewhere.evaluate(`typeof WebSocketStream`)).toBe('undefined');

    // Off again: the next load goes without.
    await again.evaluate(`document.querySelector(${JSON.stringify(toggle)}).click()`);
    await waitFor('the switch off', async () => (await again.evaluate<boolean | null>(`document.querySelector(${JSON.stringify(toggle)})?.checked ?? null`)) === false);
    await page.reload();
    expect(await hasStream()).toBe(false);
  });
});
