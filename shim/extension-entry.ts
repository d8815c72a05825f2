// The extension's MAIN-world content script: instruments the page and talks
// only to the bridge. It defines no globals.
import { listenForBridge } from './bridge-channel';
import { install } from './install';

listenForBridge(globalThis, install(globalThis));
