// The store zips as a user installs them: each is unpacked into a new folder,
// that folder is loaded into its browser, and the panel shows a page's socket
// with its messages. What the zip lacks, this finds (the other specs load
// dist/chrome and dist/firefox).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import { onTestFinished, test } from 'vitest';
import { testPageUrl, useDemoServer } from '../fixtures';
import { launchChromium } from '../lib/chromium';
import { openSockscopeInDevTools, type Evaluator } from '../lib/devtools';
import { launchFirefox, openPanelPage } from '../lib/firefox';
import { selectSocket, waitForMessages } from '../lib/panel';
import { PageSocket, pageEvaluator } from '../lib/page-socket';
import { distZip } from '../lib/paths';
import { echoUrl, token } from '../lib/traffic';

const server = useDemoServer();

/** The browser's zip, unpacked into a new folder, removed when the test ends. */
function unpacked(browser: 'chrome' | 'firefox'): string {
  const dir = mkdtempSync(join(tmpdir(), `sockscope-${browser}-zip-`));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  for (const [name, bytes] of Object.entries(unzipSync(readFileSync(distZip(browser))))) {
    if (name.endsWith('/')) continue;
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), bytes);
  }
  return dir;
}

/** A socket the page opens, and its exchange, in the panel. */
async function socketShown(page: Evaluator, panel: Evaluator, run: string): Promise<void> {
  const socket = await PageSocket.open(page, echoUrl(server(), `zip-${run}`));
  await socket.send([`up-${run}`]);
  await selectSocket(panel, socket.url);
  await waitForMessages(panel, { [`zip-${run}`]: 1, [`up-${run}`]: 2 });
}

test("the Chrome zip, unpacked and loaded, shows a page's socket in the DevTools panel", async () => {
  const chromium = await launchChromium({ extension: unpacked('chrome'), devtools: true });
  try {
    const run = token();
    const tab = await chromium.context.newPage();
    const url = testPageUrl(server(), run);
    await tab.goto(url);
    const panel = await openSockscopeInDevTools(chromium.debuggingPort!, chromium.extensionId!, url);
    await socketShown(pageEvaluator(tab), panel, run);
  } finally {
    await chromium.close();
  }
});

test("the Firefox zip, unpacked and loaded, shows a page's socket in the panel", async () => {
  const firefox = await launchFirefox({ extension: unpacked('firefox') });
  try {
    const run = token();
    const tab = await firefox.browser.newPage();
    const url = testPageUrl(server(), run);
    await tab.goto(url);
    await socketShown(pageEvaluator(tab), await openPanelPage(firefox, url), run);
  } finally {
    await firefox.close();
  }
});
