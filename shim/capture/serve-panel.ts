// What a realm's shim does for the panel, the same in a window and in a
// worker: it answers the panel's commands on this realm's sockets, and tells a
// listening panel what it holds at breakpoints and which workers it started.
import { serveBridge, type PortSource, type Tell } from './bridge-channel';
import { startedWorkers } from './started-workers';
import type { WorkerRealms } from './worker-realms';
import type { Installed } from '../entry/install';
import { setTimeout } from '../realm/natives';
import type { PanelRule, TalkAction } from '../wire/messages';
import type { Rule } from '../shaping/rule';
import { wireHeld } from '../talk-back/held-messages';
import { readAnyRule, type InterceptRule } from '../talk-back/intercept-rule';
import { fromOwnData, readOwnMessage } from '../talk-back/own-message';

/**
 * The panel's rules for this realm that read as rules; the panel checked
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

/** `told` runs at most once per task, however many times the task asked for it: a list reaches the panel once, as the task left it. */
function oncePerTask(told: (tell: Tell) => void): (tell: Tell) => void {
  let asked = false;
  return (tell) => {
    if (asked) return;
    asked = true;
    setTimeout(() => {
      asked = false;
      told(tell);
    }, 0);
  };
}

/** Serves the panel over the port `source` gives; returns how a child realm's port reaches the bridge, and where its workers are recorded. */
export function servePanel(global: typeof globalThis, { recorder, shaping, sampler, live }: Installed, source: PortSource): WorkerRealms {
  const workers = startedWorkers();
  const tellHeld = oncePerTask((tell) => tell.held(wireHeld(shaping.breakpoints, recorder.instance)));
  const tellWorkers = oncePerTask((tell) => tell.workers(workers.wire(recorder.instance)));
  const listening = (on: boolean, tell: Tell) => {
    if (!on) return sampler.stop();
    sampler.start();
    tellHeld(tell);
    tellWorkers(tell);
  };
  const adopt = serveBridge(global, recorder, source, listening, (tell, rulesSource) => {
    shaping.breakpoints.onChange = () => tellHeld(tell);
    workers.onChange = () => tellWorkers(tell);
    /** Runs a user's operation on a socket of this realm; what it throws (bad input, a socket closed meanwhile) goes back to the panel. */
    const act = (instance: string, socketId: number, action: TalkAction, run: () => void) => {
      if (instance !== recorder.instance) return;
      try {
        run();
      } catch (error) {
        tell.refused({ instance, socketId, action, reason: `${(error as Error).message}` });
      }
    };
    return {
      shape: ({ rules }) => shaping.replace(rulesSource, readRules(rules, recorder.instance)),
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
  return { adopt, workers };
}
