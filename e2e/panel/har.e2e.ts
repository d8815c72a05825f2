// HAR in and out of the panel, in both browsers (the round trip is
// lib/messages-scenario.ts); in Chromium, also with Chrome's own Network panel.
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { describeIn, describeInBrowsers, onInspectedTab } from '../fixtures';
import { networkPanelHar, networkPanelImport } from '../lib/devtools';
import { harRoundTrip } from '../lib/messages-scenario';
import { PageSocket } from '../lib/page-socket';
import { click, exported, importFile, openRow, selectSocket, textOf } from '../lib/panel';
import { echoUrl, token } from '../lib/traffic';
import { waitFor } from '../lib/wait';

describeInBrowsers((test) => {
  const chromeHar = readFileSync(new URL('../data/chrome-websocket.har', import.meta.url), 'utf8');
  test(
    "HAR: export, then import read-only; a HAR Chrome's DevTools exported imports; a bad file says why",
    onInspectedTab((page, panel, server, run) => harRoundTrip(page, panel, server, run, chromeHar)),
  );
});

describeIn('Chromium', (test) => {
  test("HAR with Chrome's own Network panel, both ways: what it exports imports here, what we export imports there", async ({ browser }) => {
    const run = token();
    const { page, panel } = await browser.inspect(run);
    const socket = await PageSocket.open(page, echoUrl(browser.server, `chrome-hello-${run}`));
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
    const sorted = (messages: unknown[][] | null) => messages?.map((message) => JSON.stringify(message)).sort();

    await importFile(panel, `chrome-${run}.har`, await networkPanelHar(panel.devtools, socket.url, expected.length));
    await selectSocket(panel, socket.url);
    await waitFor("Chrome's five messages", async () => (await textOf(panel, 'filter-count')) === '5');
    await openRow(panel, `chrome-up-${run}`);
    await click(panel, 'file-close');

    await selectSocket(panel, socket.url);
    expect(sorted(await networkPanelImport(panel.devtools, await exported(panel, 'export-har'), socket.url))).toEqual(sorted(expected));
  });
});
