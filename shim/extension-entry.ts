// The extension's MAIN-world content script: instruments the page and talks
// only to the bridge. It defines no globals. Where the user switched "Provide
// WebSocketStream" on for this origin, the background's registered provide
// script asks for it with PROVIDE_EVENT, before any page script runs.
import { listenForBridge } from './bridge-channel';
import { install } from './install';
import { addEventListener, preventDefault, stopImmediatePropagation } from './natives';
import { PROVIDE_EVENT, type PanelRule } from './protocol';
import { readRule, type Rule } from './shaping/rule';

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

/** How long a socket opened at load waits for the tab's rules (the bridge asks the background for them). */
const RULES_WAIT_MS = 1_000;

const { recorder, shaping, sampler, provideWebSocketStream } = install(globalThis);
shaping.awaitRules('panel', RULES_WAIT_MS);
listenForBridge(globalThis, recorder, {
  listening: (on) => (on ? sampler.start() : sampler.stop()),
  shape: (rules) => shaping.replace('panel', readRules(rules, recorder.instance)),
  consumer(socketId, action) {
    if (action === 'step') shaping.step(socketId);
    else shaping.setConsumerPaused(socketId, action === 'pause');
  },
});
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
