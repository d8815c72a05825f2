// The extension's MAIN-world content script: instruments the page and talks
// only to the bridge. It defines no globals. Where the user switched an origin
// option on ("Provide WebSocketStream", "WebSocket over stream"), the
// background's registered script for it asks with its event, before any page
// script runs.
import { listenForBridge, type Tell } from '../capture/bridge-channel';
import { install } from './install';
import { addEventListener, objectKeys, preventDefault, setTimeout, stopImmediatePropagation } from '../realm/natives';
import type { PanelRule, TalkAction } from '../wire/messages';
import { AWAIT_RULES_EVENT, ORIGIN_OPTIONS, type OriginOption } from '../wire/names';
import type { Rule } from '../shaping/rule';
import { wireHeld } from '../talk-back/held-messages';
import { readAnyRule, type InterceptRule } from '../talk-back/intercept-rule';
import { fromOwnData, readOwnMessage } from '../talk-back/own-message';

/**
 * The panel's rules for this document that read as rules; the panel checked
 * them already, so a bad one is only skipped.
 */
function readRules(input: PanelRule[], instance: string): (Rule | InterceptRule)[] {
  const rules: (Rule | InterceptRule)[] = [];
  for (let i = 0; i < input.length; i++) {
    const { rule, instance: only } = input[i];
    if (only !== null && only !== instance) continue;
    try {
      rules[rules.length] = readAnyRule(rule);
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

const { recorder, shaping, sampler, live, provideWebSocketStream, carryWebSocketOverStream } = install(globalThis);
addEventListener(
  globalThis,
  AWAIT_RULES_EVENT,
  (event) => {
    stopImmediatePropagation(event);
    shaping.awaitRules('panel', RULES_WAIT_MS);
  },
  { capture: true, once: true },
);
/** The held list reaches a listening panel once per task, however many holds and releases the task saw. */
let heldTold = false;
const tellHeld = (tell: Tell) => {
  if (heldTold) return;
  heldTold = true;
  setTimeout(() => {
    heldTold = false;
    tell.held(wireHeld(shaping.breakpoints, recorder.instance));
  }, 0);
};
const listening = (on: boolean, tell: Tell) => {
  if (!on) return sampler.stop();
  sampler.start();
  tellHeld(tell);
};
listenForBridge(globalThis, recorder, listening, (tell) => {
  shaping.breakpoints.onChange = () => tellHeld(tell);
  /** Runs a user's operation on a socket of this document; what it throws (bad input, a socket closed meanwhile) goes back to the panel. */
  const act = (instance: string, socketId: number, action: TalkAction, run: () => void) => {
    if (instance !== recorder.instance) return;
    try {
      run();
    } catch (error) {
      tell.refused({ instance, socketId, action, reason: `${(error as Error).message}` });
    }
  };
  return {
    shape: ({ rules }) => shaping.replace('panel', readRules(rules, recorder.instance)),
    consumer({ instance, socketId, action }) {
      if (instance === recorder.instance) shaping.consumerAction(socketId, action);
    },
    send: ({ instance, socketId, data }) => act(instance, socketId, 'send', () => live.send(socketId, fromOwnData(data))),
    inject: ({ instance, socketId, data }) => act(instance, socketId, 'inject', () => live.inject(socketId, fromOwnData(data))),
    close: ({ instance, socketId, code, reason }) => act(instance, socketId, 'close', () => live.close(socketId, code ?? undefined, reason)),
    release({ instance, id, data, drop }) {
      if (instance !== recorder.instance) return;
      // A message let go already (by the page's API, or its rule removed) is not an error: the list the panel gets next
      // says so. Text over the byte bound (the panel checks it first) leaves the message held.
      try {
        shaping.breakpoints.release(id, data === null ? { drop } : { data: readOwnMessage(fromOwnData(data), 'release') });
      } catch {
        tellHeld(tell);
      }
    },
  };
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
