// The harness's browser helpers, for the e2e tests, `npm start` and the benchmark.
export { launchChromium, type ChromiumOptions, type ChromiumSession } from './lib/chromium';
export {
  openSockscopeInDevTools,
  screenshotDevTools,
  undockDevTools,
  PANEL_TITLE,
  type DevToolsPanel,
  type Evaluator,
  type OpenPanelOptions,
} from './lib/devtools';
export { stopServiceWorker, watchServiceWorker, type RunningStatus, type ServiceWorkerWatch } from './lib/service-worker';
export { launchFirefox, openPanelPage, type ExtensionPage, type FirefoxOptions, type FirefoxSession } from './lib/firefox';
export { allMessageTexts, openRow, rowTexts, selectSocket, waitForMessages } from './lib/panel';
export { CdpClient, listTargets } from './lib/cdp';
export { waitFor, sleep } from './lib/wait';
export { DIST_CHROME, DIST_FIREFOX, HEADLESS, OUT_DIR } from './lib/paths';
