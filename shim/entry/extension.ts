// The extension's MAIN-world content script: instruments the page and talks
// only to the bridge. It defines no globals. Where the user switched an origin
// option on ("Provide WebSocketStream", "WebSocket over stream"), the
// background's registered script for it asks with its event, before any page
// script runs.
import { listenForBridge } from '../capture/bridge-channel';
import { install } from './install';
import { addEventListener, objectKeys, preventDefault, stopImmediatePropagation } from '../realm/natives';
import type { PanelRule } from '../wire/messages';
import { AWAIT_RULES_EVENT, ORIGIN_OPTIONS, type OriginOption } from '../wire/names';
import { readRule, type Rule } from '../shaping/rule';

/**
 * The panel's rules for this document that read as rules; the panel checked
 * them already, so a bad one is only skipped.
 */
function readRules(input: PanelRule[], instance: string): Rule[] {
  const rules: Rule[] = [];
  for (let i = 0; i < input.length; i++) {
    const { rule, instance: only } = input[i];
    if (only !== null && only !== instance) continue;
    try {
      rules[rules.length] = readRule(rule);
    } catch {
      // Skipped.
    }
  }
  return rules;
}

/**
 * How long a socket opened at load waits for the tab's rules (the bridge asks
 * the background for them), when the background says some tab has rules.
 */
const RULES_WAIT_MS = 1_000;

const { recorder, shaping, sampler, provideWebSocketStream, carryWebSocketOverStream } = install(globalThis);
addEventListener(
  globalThis,
  AWAIT_RULES_EVENT,
  (event) => {
    stopImmediatePropagation(event);
    shaping.awaitRules('panel', RULES_WAIT_MS);
  },
  { capture: true, once: true },
);
listenForBridge(globalThis, recorder, (on) => (on ? sampler.start() : sampler.stop()), {
  shape: ({ rules }) => shaping.replace('panel', readRules(rules, recorder.instance)),
  consumer({ instance, socketId, action }) {
    if (instance === recorder.instance) shaping.consumerAction(socketId, action);
  },
});
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
