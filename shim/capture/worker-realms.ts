// The page side of a worker's channel. A worker's shim, running before the
// worker's own code, posts its private port to whoever created the worker, as
// the worker's first message (to a SharedWorker's client, as the first
// message on the client's port). The realm's shim takes that message before
// any page listener can (its listener is the first on the new object), stops
// it, and hands the port on toward the bridge. `Worker` and `SharedWorker`
// stay the natives: the constructors are Proxies whose construct trap builds
// the native object, as WebSocket's does, so brand checks, `instanceof` and
// subclassing behave as without the shim. Each worker started is recorded
// (started-workers.ts), so the panel can say which ones run without Sockscope.
import type { AdoptRealm } from './bridge-channel';
import type { StartedWorkers } from './started-workers';
import type { Mask } from '../realm/mask';
import {
  addEventListener,
  eventIsTrusted,
  getter,
  messageEventData,
  messageEventPorts,
  reflectConstruct,
  removeEventListener,
  safely,
  stopImmediatePropagation,
} from '../realm/natives';
import { replace } from '../realm/replace';
import type { WireWorker } from '../wire/messages';
import { REALM_PORT } from '../wire/names';

/** What a realm does with the workers it starts: hands each one's port on toward the bridge, and records each. */
export interface WorkerRealms {
  adopt: AdoptRealm;
  workers: StartedWorkers;
}

export function adoptWorkerRealms(global: typeof globalThis, mask: Mask, realms: WorkerRealms): void {
  instrument(global, 'Worker', mask, (worker) => worker, realms);
  const SharedWorker = global.SharedWorker;
  if (typeof SharedWorker === 'function') instrument(global, 'SharedWorker', mask, getter<MessagePort>(SharedWorker.prototype, 'port'), realms);
}

function instrument(global: typeof globalThis, name: 'Worker' | 'SharedWorker', mask: Mask, channel: (worker: EventTarget) => EventTarget, realms: WorkerRealms): void {
  const Native = global[name] as unknown as { prototype: object; new (...args: unknown[]): EventTarget };
  if (typeof Native !== 'function') return;
  const Instrumented: typeof Native = new Proxy(Native, {
    construct(target, args: unknown[], newTarget: Function) {
      // As for WebSocket: the native constructor as new.target, so the instance gets the native initial map.
      const worker = reflectConstruct(target, args, newTarget === Instrumented ? target : newTarget) as EventTarget;
      // After the native constructor: it threw for a URL it refused, and that worker never started.
      safely(watchWorker, channel(worker), { realms, kind: name === 'Worker' ? 'dedicated' : 'shared', argument: args[0] });
      return worker;
    },
  });
  replace(Native.prototype, 'constructor', Instrumented, mask);
  replace(global, name, Instrumented, mask);
}

/** A new worker: recorded, and its first message awaited (on `channel`, its own or its port) to adopt its realm and say whether it was captured. */
function watchWorker(channel: EventTarget, { realms: { adopt, workers }, kind, argument }: { realms: WorkerRealms; kind: WireWorker['kind']; argument: unknown }): void {
  const status = workers.started(kind, argument);
  takeFirstMessage(channel, (port) => {
    if (port) adopt(port);
    // Inside the page's message dispatch: nothing may throw there.
    safely(status, port ? 'captured' : 'not-captured');
  });
}

/** Listens for the worker's first message only: the realm's port, if its shim is there; otherwise the page's own, left alone (null). */
function takeFirstMessage(target: EventTarget, take: (port: MessagePort | null) => void): void {
  const listener = (event: Event) => {
    // The page can dispatch a message on the object itself: only the worker's own counts.
    if (!eventIsTrusted(event)) return;
    removeEventListener(target, 'message', listener, true);
    const ports = messageEventPorts(event);
    if (messageEventData(event) !== REALM_PORT || ports.length !== 1) return take(null);
    stopImmediatePropagation(event);
    take(ports[0]);
  };
  addEventListener(target, 'message', listener, true);
}
