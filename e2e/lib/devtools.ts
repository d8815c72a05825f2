// Drives the real DevTools window of a Chromium started with
// `launchChromium({ devtools: true })`: finds the window inspecting a given
// page, opens the extension's panel in it, and talks to the panel's iframe.
import { CdpClient, listTargets, type TargetInfo } from './cdp';
import { waitFor } from './wait';

export const PANEL_TITLE = 'Sockscope';
/** Paths in the built extension (dist/chrome, dist/firefox). */
export const PANEL_PATH = 'panel/index.html';
const DEVTOOLS_PAGE_PATH = 'extension/devtools/devtools.html';

/** Something that evaluates expressions in the panel's page: a CDP client or a puppeteer Page. */
export interface Evaluator {
  evaluate<T>(expression: string): Promise<T>;
}

export interface DevToolsPanel extends Evaluator {
  /** The DevTools window (a `page` target at devtools://devtools/…). */
  devtools: CdpClient;
  /** The panel's iframe inside it. */
  panel: CdpClient;
  close(): void;
}

export interface OpenPanelOptions {
  /** Panel title passed to chrome.devtools.panels.create. */
  title?: string;
  timeoutMs?: number;
}

/**
 * Opens the extension's DevTools panel in the DevTools window that inspects
 * `pageUrl` (exact URL of the tab) and connects to the panel's iframe.
 */
export async function openSockscopeInDevTools(
  port: number,
  extensionId: string,
  pageUrl: string,
  { title = PANEL_TITLE, timeoutMs = 30_000 }: OpenPanelOptions = {},
): Promise<DevToolsPanel> {
  const window = await findDevToolsWindow(port, extensionId, pageUrl, timeoutMs);
  await bringToFront(port, pageUrl);
  const devtools = await CdpClient.connect(window.webSocketDebuggerUrl);
  let panel: CdpClient | undefined;
  try {
    const tabId = `chrome-extension://${extensionId}${title}`;
    // The devtools page registers the panel asynchronously after DevTools loads.
    await waitFor(
      `DevTools tab "${tabId}" (is devtools_page registering a "${title}" panel?)`,
      () => devtools.evaluate<boolean>(`(async () => {
        const UI = await import('./ui/legacy/legacy.js');
        return UI.InspectorView.InspectorView.instance().tabbedPane.tabIds().includes(${JSON.stringify(tabId)});
      })()`),
      { timeoutMs },
    );
    await devtools.evaluate(`(async () => {
      const UI = await import('./ui/legacy/legacy.js');
      await UI.InspectorView.InspectorView.instance().showPanel(${JSON.stringify(tabId)});
    })()`);
    const panelPrefix = `chrome-extension://${extensionId}/${PANEL_PATH}`;
    const target = await waitFor(
      `the panel iframe ${panelPrefix} in DevTools window ${window.id}`,
      async () => (await listTargets(port)).find((t) => t.parentId === window.id && t.url.startsWith(panelPrefix)),
      { timeoutMs },
    );
    const client = (panel = await CdpClient.connect(target.webSocketDebuggerUrl));
    await waitFor(
      `${panelPrefix} to be loaded and visible`,
      () => client.evaluate<boolean>(`document.readyState === 'complete' && document.visibilityState === 'visible'`),
      { timeoutMs },
    );
    return {
      devtools,
      panel: client,
      evaluate: (expression) => client.evaluate(expression),
      close() {
        client.close();
        devtools.close();
      },
    };
  } catch (error) {
    panel?.close();
    devtools.close();
    throw error;
  }
}

/**
 * Headless Chromium sometimes leaves the DevTools window of a tab opened by
 * Playwright's newPage() `hidden` (about 1 launch in 6 here): it then renders
 * no frames, so requestAnimationFrame and ResizeObserver never fire and a
 * virtualized list stays empty. Activating the inspected tab makes both visible.
 */
async function bringToFront(port: number, pageUrl: string): Promise<void> {
  const page = (await listTargets(port)).find((t) => t.type === 'page' && t.url === pageUrl);
  if (!page) throw new Error(`no page target at ${pageUrl}`);
  const response = await fetch(`http://127.0.0.1:${port}/json/activate/${page.id}`);
  if (!response.ok) throw new Error(`/json/activate answered ${response.status}`);
}

/**
 * Every DevTools window hosts the extension's devtools page as an iframe
 * target whose parent is the window; that page can ask which URL its window
 * inspects. (The window title, "DevTools - host/path", drops the scheme and
 * may lag behind navigations.)
 */
async function findDevToolsWindow(port: number, extensionId: string, pageUrl: string, timeoutMs: number): Promise<TargetInfo> {
  const devtoolsPage = `chrome-extension://${extensionId}/${DEVTOOLS_PAGE_PATH}`;
  let seen: string[] = [];
  return waitFor(
    () => `a DevTools window inspecting ${pageUrl} (seen inspecting: [${seen.join(', ')}])`,
    async () => {
      const targets = await listTargets(port);
      seen = [];
      for (const frame of targets.filter((t) => t.type === 'iframe' && t.url.startsWith(devtoolsPage))) {
        const window = targets.find((t) => t.id === frame.parentId && t.url.startsWith('devtools://'));
        if (!window) continue;
        const inspected = await inspectedUrl(frame).catch(() => null);
        seen.push(String(inspected));
        if (inspected === pageUrl) return window;
      }
      return null;
    },
    { timeoutMs },
  );
}

async function inspectedUrl(devtoolsPage: TargetInfo): Promise<string | null> {
  const client = await CdpClient.connect(devtoolsPage.webSocketDebuggerUrl);
  try {
    return await client.evaluate<string | null>(`new Promise((resolve) =>
      chrome.devtools.inspectedWindow.eval('location.href', (href, error) => resolve(error ? null : href)))`);
  } finally {
    client.close();
  }
}

/**
 * Undocks DevTools into its own window of the given size, so that a
 * screenshot of the window is all panel (docked, it shares the window with
 * the inspected page).
 */
export async function undockDevTools(panel: DevToolsPanel, bounds: { width: number; height: number }): Promise<void> {
  await panel.devtools.evaluate(`(async () => {
    const UI = await import('./ui/legacy/legacy.js');
    UI.DockController.DockController.instance().setDockSide('undocked');
  })()`);
  // Without targetId, Browser.getWindowForTarget answers for the connected target.
  const { windowId } = await panel.devtools.send<{ windowId: number }>('Browser.getWindowForTarget');
  await panel.devtools.send('Browser.setWindowBounds', { windowId, bounds: { ...bounds, windowState: 'normal' } });
}

/** A PNG of the whole DevTools window (an iframe target cannot be captured on its own). */
export async function screenshotDevTools(panel: DevToolsPanel): Promise<Buffer> {
  const { data } = await panel.devtools.send<{ data: string }>('Page.captureScreenshot', { format: 'png' });
  return Buffer.from(data, 'base64');
}

/**
 * What Chrome's Network panel saves with "Export HAR": DevTools' own HAR
 * writer over every request it logged, once the request to `url` has logged
 * `messages` WebSocket messages.
 */
export async function networkPanelHar(devtools: CdpClient, url: string, messages: number): Promise<string> {
  await waitFor(`the Network panel logging ${messages} messages of ${url}`, () =>
    devtools.evaluate<boolean>(`(async () => {
      const Logs = await import('./models/logs/logs.js');
      const request = Logs.NetworkLog.NetworkLog.instance().requests().find((r) => r.url() === ${JSON.stringify(url)});
      return (request?.frames().length ?? 0) >= ${messages};
    })()`),
  );
  return devtools.evaluate<string>(`(async () => {
    const Logs = await import('./models/logs/logs.js');
    const HAR = await import('./models/har/har.js');
    const Common = await import('./core/common/common.js');
    const stream = new Common.StringOutputStream.StringOutputStream();
    await HAR.Writer.Writer.write(stream, Logs.NetworkLog.NetworkLog.instance().requests(), { sanitize: false }, new Common.Progress.Progress());
    return stream.data();
  })()`);
}

/** The WebSocket messages of `url` as Chrome's Network panel reads them from `har` when importing it: [type, opcode, text]. */
export function networkPanelImport(devtools: CdpClient, har: string, url: string): Promise<[string, number, string][] | null> {
  return devtools.evaluate(`(async () => {
    const HAR = await import('./models/har/har.js');
    // As the Network panel does on a dropped file: HARRoot checks the file and types its entries.
    const requests = HAR.Importer.Importer.requestsFromHARLog(new HAR.HARFormat.HARRoot(JSON.parse(${JSON.stringify(har)})).log);
    const request = requests.find((r) => r.url() === ${JSON.stringify(url)});
    return request ? request.frames().map((f) => [f.type, f.opCode, f.text]) : null;
  })()`);
}
