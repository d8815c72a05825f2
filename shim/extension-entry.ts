// The extension's MAIN-world content script: instruments the page and talks
// only to the bridge. It defines no globals. Where the user switched "Provide
// WebSocketStream" on for this origin, the background's registered provide
// script asks for it with PROVIDE_EVENT, before any page script runs.
import { listenForBridge } from './bridge-channel';
import { install } from './install';
import { addEventListener, preventDefault, stopImmediatePropagation } from './natives';
import { PROVIDE_EVENT } from './protocol';
import { readRule, type Rule } from './shaping/rule';

/** The panel's rules that read as rules; the panel checked them already, so a bad one is only skipped. */
function readRules(input: unknown[]): Rule[] {
  const rules: Rule[] = [];
  for (let i = 0; i < input.length; i++) {
    try {
      rules[rules.length] = readRule(input[i]);
    } catch {
      // Skipped.
    }
  }
  return rules;
}

const { recorder, shaping, provideWebSocketStream } = install(globalThis);
listenForBridge(globalThis, recorder, (rules) => shaping.replace('panel', readRules(rules)));
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
