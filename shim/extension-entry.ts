// The extension's MAIN-world content script: instruments the page and talks
// only to the bridge. It defines no globals. Where the user switched "Provide
// WebSocketStream" on for this origin, the background's registered provide
// script asks for it with PROVIDE_EVENT, before any page script runs.
import { listenForBridge } from './bridge-channel';
import { install } from './install';
import { addEventListener, preventDefault, stopImmediatePropagation } from './natives';
import { PROVIDE_EVENT } from './protocol';

const { recorder, provideWebSocketStream } = install(globalThis);
listenForBridge(globalThis, recorder);
addEventListener(
  globalThis,
  PROVIDE_EVENT,
  (event) => {
    stopImmediatePropagation(event);
    preventDefault(event);
    provideWebSocketStream();
  },
  { capture: true, once: true },
);
