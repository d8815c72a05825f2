// Shaping driven from the panel, observed in the page (the steps are
// lib/shaping-scenario.ts), and a preset that outlives a reload and a panel.
import { expect } from 'vitest';
import { describeIn, describeInBrowsers } from '../fixtures';
import { rowTexts } from '../lib/panel';
import { customRulesApply, drivesTheConsumer, refusesBadRules, resumeOverridesARule, rulesApplyFromTheFirstMessage } from '../lib/shaping-scenario';
import { echoUrl, token } from '../lib/traffic';
import { sleep, waitFor } from '../lib/wait';

describeInBrowsers((test) => {
  test('shaping from the panel: bad rules refused, the consumer paused and stepped, rules by URL and for one socket, Resume over a rule that pauses, rules from the first message', async ({ browser }) => {
    const run = token();
    const { tab, page, panel } = await browser.inspect(run);
    const setup = { page, panel, server: browser.server, run };
    await refusesBadRules(setup);
    await drivesTheConsumer(setup);
    await customRulesApply(setup);
    await resumeOverridesARule(setup);
    await rulesApplyFromTheFirstMessage(setup, (to) => tab.goto(to), () => page);
  });
});

describeIn('Firefox', (test) => {
  test('shaping from the panel: a preset applies at once and after a reload, is shown again in a new panel, and turns off in one click', async ({ browser }) => {
    const { tab: page, url, panel } = await browser.inspect(token());
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
        { socketUrl: echoUrl(browser.server, 'hi'), ms },
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
    const again = await browser.openPanel(url);
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
});
