// `npm start`: the demo site and its WebSocket server, Chromium with the built
// extension and DevTools open on the Sockscope panel.
//
// Headed (a display is available): runs until Ctrl+C.
// Headless (`--headless`, or no DISPLAY on Linux): waits until the panel shows
// the demo's sockets and messages, saves screenshots to e2e/out/ (panel.png;
// messages.png: the ticker filtered, one message open as a JSON tree;
// talk-back.png: a ticker quote paused at a breakpoint, a message in the composer;
// shaping.png: the ticker under the "Slow consumer" preset; protocols.png:
// the protocols page's MQTT client, a message decoded) and exits.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDemoServer } from './server';
import { launchChromium } from '../lib/chromium';
import { openSockscopeInDevTools, screenshotDevTools, undockDevTools, type DevToolsPanel } from '../lib/devtools';
import { click, openRow, selectSocket, setField } from '../lib/panel';
import { DIST_CHROME, OUT_DIR } from '../lib/paths';
import { sleep, waitFor } from '../lib/wait';

async function main(): Promise<void> {
  const headless = process.argv.includes('--headless') || (process.platform === 'linux' && !process.env.DISPLAY);
  const server = await startDemoServer();
  const chromium = await launchChromium({ extension: DIST_CHROME, devtools: true, headless }).catch(async (error: unknown) => {
    await server.close();
    throw error;
  });
  let panel: DevToolsPanel | undefined;
  const shutdown = async () => {
    panel?.close();
    await chromium.close();
    await server.close();
  };

  try {
    const page = chromium.context.pages()[0] ?? (await chromium.context.newPage());
    await page.goto(server.url);
    panel = await openSockscopeInDevTools(chromium.debuggingPort!, chromium.extensionId!, server.url);
    if (headless) {
      console.log(await screenshot(panel, (url) => page.goto(url), server.url));
      return await shutdown();
    }
  } catch (error) {
    await shutdown();
    throw error;
  }

  console.log(`Demo: ${server.url}  (Sockscope is open in DevTools; Ctrl+C to stop)`);
  await new Promise((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
    chromium.context.once('close', resolve);
  });
  await shutdown();
}

/** Waits for the demo's traffic in the panel, saves screenshots of DevTools, returns their paths. `navigate` moves the page to another demo page. */
async function screenshot(panel: DevToolsPanel, navigate: (url: string) => Promise<unknown>, site: string): Promise<string> {
  const count = (testId: string) => panel.evaluate<number>(`document.querySelectorAll('[data-testid=${testId}]').length`);
  await waitFor('the panel to list the demo\'s 3 sockets ([data-testid=socket-row])', async () => (await count('socket-row')) >= 3, {
    timeoutMs: 30_000,
  });
  // Show the busiest socket's messages.
  await panel.evaluate(`Array.from(document.querySelectorAll('[data-testid=socket-row]'))
    .find((row) => (row.textContent ?? '').includes('/ticker'))?.click(), true`);
  await waitFor('the panel to show messages ([data-testid=message-row])', async () => (await count('message-row')) >= 1, {
    timeoutMs: 30_000,
  });
  await undockDevTools(panel, { width: 1280, height: 800 });
  // Let the panel lay out at its new size and take in a few more messages.
  await sleep(1000);
  mkdirSync(OUT_DIR, { recursive: true });
  const file = join(OUT_DIR, 'panel.png');
  writeFileSync(file, await screenshotDevTools(panel));

  // The ticker filtered to one symbol, its newest message open as a JSON tree.
  await panel.evaluate(`(() => {
    const query = document.querySelector('[data-testid=filter-query]');
    query.value = 'ACME';
    query.dispatchEvent(new Event('input', { bubbles: true }));
  })()`);
  await waitFor('filtered rows', async () => (await count('message-row')) >= 1);
  await panel.evaluate(`[...document.querySelectorAll('[data-testid=message-row]')].at(-1).click(), true`);
  await waitFor('the message open as JSON', async () => (await count('json-tree')) === 1);
  const messages = join(OUT_DIR, 'messages.png');
  writeFileSync(messages, await screenshotDevTools(panel));
  await panel.evaluate(`(() => {
    document.querySelector('[data-testid=detail-close]').click();
    const query = document.querySelector('[data-testid=filter-query]');
    query.value = '';
    query.dispatchEvent(new Event('input', { bubbles: true }));
  })()`);

  // Talking back: a breakpoint on the ticker's ACME quotes holds one at the top of the socket's view; a message in the composer.
  await click(panel, 'breakpoint-add');
  await setField(panel, 'breakpoint-direction', 'receive');
  await setField(panel, 'breakpoint-pattern', 'ACME');
  await click(panel, 'breakpoint-submit');
  await waitFor('a paused message ([data-testid=held-message])', async () => (await count('held-message')) === 1, { timeoutMs: 30_000 });
  await setField(panel, 'composer-format', 'json');
  await setField(panel, 'composer-box', '{"subscribe": ["ACME", "GLOBEX"]}');
  const talkBack = join(OUT_DIR, 'talk-back.png');
  writeFileSync(talkBack, await screenshotDevTools(panel));
  await click(panel, 'held-continue-all');
  await setField(panel, 'composer-box', '');

  // The same socket under a slow consumer, in its Shaping view, once the charts have a few seconds.
  await panel.evaluate(`(() => {
    const preset = document.querySelector('[data-testid=shaping-preset]');
    preset.value = 'slow-consumer';
    preset.dispatchEvent(new Event('change', { bubbles: true }));
    document.querySelector('[data-testid=view-shaping]').click();
  })()`);
  await waitFor('the shaping charts ([data-testid=socket-chart])', async () => (await count('socket-chart')) === 5);
  await sleep(6000);
  const shaping = join(OUT_DIR, 'shaping.png');
  writeFileSync(shaping, await screenshotDevTools(panel));
  // Leave the tab's rules as they were: they outlive this browser's session only, but be tidy.
  await panel.evaluate(`document.querySelector('[data-testid=shaping-off]')?.click(), true`);

  // The protocols page: its MQTT client's PUBLISH, decoded.
  await navigate(`${site}protocols.html`);
  await selectSocket(panel, '/mqtt');
  await panel.evaluate(`document.querySelector('[data-testid=view-messages]').click(), true`);
  // 'demo/temp' in the rows' hex previews
  await openRow(panel, '64 65 6d 6f 2f 74 65 6d 70');
  await waitFor('the PUBLISH decoded', async () => (await count('decoded-summary')) === 1);
  const protocols = join(OUT_DIR, 'protocols.png');
  writeFileSync(protocols, await screenshotDevTools(panel));
  return `${file}\n${messages}\n${talkBack}\n${shaping}\n${protocols}`;
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
