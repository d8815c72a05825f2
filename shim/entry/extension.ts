// The extension's MAIN-world content script: instruments the page and talks
// only to the bridge. It defines no globals. Where the user switched an origin
// option on ("Provide WebSocketStream", "WebSocket over stream"), the
// background's registered script for it asks with its event, before any page
// script runs.
import { portFromBridge } from '../capture/bridge-channel';
import { servePanel } from '../capture/serve-panel';
import { adoptWorkerRealms } from '../capture/worker-realms';
import { install } from './install';
import { addEventListener, objectKeys, preventDefault, stopImmediatePropagation } from '../realm/natives';
import { AWAIT_RULES_EVENT, ORIGIN_OPTIONS, type OriginOption } from '../wire/names';

/**
 * How long a socket opened at load waits for the tab's rules (the bridge asks
 * the background for them), when the background says some tab has rules.
 */
const RULES_WAIT_MS = 1_000;

const installed = install(globalThis);
const { shaping, mask, provideWebSocketStream, carryWebSocketOverStream } = installed;
addEventListener(
  globalThis,
  AWAIT_RULES_EVENT,
  (event) => {
    stopImmediatePropagation(event);
    shaping.awaitRules('panel', RULES_WAIT_MS);
  },
  { capture: true, once: true },
);
adoptWorkerRealms(globalThis, mask, servePanel(globalThis, installed, portFromBridge(globalThis)));
// Per-origin options, asked for by the scripts the background registers (see ORIGIN_OPTIONS).
const options: Record<OriginOption, () => void> = { provideWebSocketStream, webSocketOverStream: carryWebSocketOverStream };
for (const option of objectKeys(options) as OriginOption[]) {
  addEventListener(
    globalThis,
    ORIGIN_OPTIONS[option].event,
    (event) => {
      stopImmediatePropagation(event);
      preventDefault(event);
      options[option]();
    },
    { capture: true, once: true },
  );
}
