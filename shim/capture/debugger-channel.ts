// A Chromium service worker's way to the panel. It has no creator to post a
// port to, so the background, which runs this engine through the debugger
// (extension/background/service-worker-realms.ts), first adds a debugger
// binding: a global function whose calls reach the background. The engine
// takes it and deletes it, so the global's names stay native, and leaves the
// background a hook (exposeEngineHook) that it calls through each of its
// debugging sessions, one per tab the worker serves: `hook(client)` opens a
// channel for that session, `hook(client, command)` hands it a command.
// Every session hears every binding call: each message says which client it
// is for.
import type { PortSource } from './bridge-channel';
import { exposeEngineHook } from '../realm/mask';
import { toJson } from '../realm/json';
import { addEventListener, channelPort1, channelPort2, messageEventData, NativeMessageChannel, portPostMessage, portStart, safely } from '../realm/natives';
import type { BindingMessage } from '../wire/messages';
import { SERVICE_WORKER_BINDING } from '../wire/names';

/** Sessions served at once: the tabs a service worker serves, each debugged. */
const MAX_CLIENTS = 64;
/** A client's name is the background's: bounded, as everything a hook caller passes. */
const MAX_CLIENT_CHARS = 200;

/** The realm's ports to the bridge-like background, or null where no binding was added (not captured through the debugger). */
export function fromDebugger(global: typeof globalThis): PortSource | null {
  const scope = global as unknown as Record<string, unknown>;
  const binding = scope[SERVICE_WORKER_BINDING];
  if (typeof binding !== 'function') return null;
  delete scope[SERVICE_WORKER_BINDING];
  const call = binding as (payload: string) => void;
  return (take) => {
    // A null-prototype record: no page-reachable lookup.
    const clients: Record<string, MessagePort> = Object.create(null) as Record<string, MessagePort>;
    let count = 0;
    const relay = (client: string, event: Event) => call(toJson({ client, message: messageEventData(event) } satisfies BindingMessage));
    exposeEngineHook((client, command) => {
      if (typeof client !== 'string' || client.length > MAX_CLIENT_CHARS) return;
      // A later session's binding is added to the global again: it goes as this one did.
      delete scope[SERVICE_WORKER_BINDING];
      const ours = clients[client];
      if (command !== undefined) return void (ours && portPostMessage(ours, command));
      if (ours || count >= MAX_CLIENTS) return;
      count++;
      const channel = new NativeMessageChannel();
      clients[client] = channelPort1(channel);
      addEventListener(channelPort1(channel), 'message', (event) => safely(relay, client, event));
      portStart(channelPort1(channel));
      take(channelPort2(channel));
    });
  };
}
