// Firefox: a service worker's way to the panel. It has no creator to post a
// port to and no debugger runs it, so the background puts a secret name first
// in its script, before the engine (extension/background/worker-scripts.ts):
// the name of a BroadcastChannel that only the bridges of the worker's origin
// know besides (they read it from extension storage). The engine takes the
// name and deletes it, so the global's names stay native. Each bridge opens a
// client on that channel and sends it commands; the engine answers each
// client by name (client-channels.ts).
import type { PortSource } from './bridge-channel';
import { clientChannels } from './client-channels';
import { addEventListener, broadcastPostMessage, getOwnPropertyDescriptor, messageEventData, NativeBroadcastChannel, safely } from '../realm/natives';
import type { FromServiceWorker } from '../wire/messages';
import { SERVICE_WORKER_CHANNEL } from '../wire/names';

/** A channel name the background makes: bounded, as anything read from the global. */
const MAX_NAME_CHARS = 200;

/** An own field of a cloned message, read without the realm's prototypes (its code may have patched them). */
const own = (data: object, key: string): unknown => getOwnPropertyDescriptor(data, key)?.value;

/** The realm's ports to the bridges of its origin, or null where the background put no channel name first. */
export function fromBroadcast(global: typeof globalThis): PortSource | null {
  const scope = global as unknown as Record<string, unknown>;
  const name = getOwnPropertyDescriptor(scope, SERVICE_WORKER_CHANNEL)?.value;
  if (typeof name !== 'string' || name.length > MAX_NAME_CHARS || !NativeBroadcastChannel) return null;
  delete scope[SERVICE_WORKER_CHANNEL];
  const Channel = NativeBroadcastChannel;
  return (take) => {
    const channel = new Channel(name);
    const say = (message: FromServiceWorker) => broadcastPostMessage(channel, message);
    const client = clientChannels((client, message) => say({ client, message }), take);
    const onMessage = (event: Event) => {
      const data = messageEventData(event);
      if (typeof data !== 'object' || data === null) return;
      const command = own(data, 'command');
      if (command !== undefined) client(own(data, 'client'), command);
      else if (own(data, 'open') === true) client(own(data, 'client'));
    };
    addEventListener(channel, 'message', (event) => safely(onMessage, event));
    say({ started: true });
  };
}
