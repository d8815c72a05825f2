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
import { clientChannels } from './client-channels';
import { exposeEngineHook } from '../realm/mask';
import { toJson } from '../realm/json';
import type { BindingMessage } from '../wire/messages';
import { SERVICE_WORKER_BINDING } from '../wire/names';

/** The realm's ports to the bridge-like background, or null where no binding was added (not captured through the debugger). */
export function fromDebugger(global: typeof globalThis): PortSource | null {
  const scope = global as unknown as Record<string, unknown>;
  const binding = scope[SERVICE_WORKER_BINDING];
  if (typeof binding !== 'function') return null;
  delete scope[SERVICE_WORKER_BINDING];
  const call = binding as (payload: string) => void;
  return (take) => {
    const client = clientChannels((client, message) => call(toJson({ client, message } satisfies BindingMessage)), take);
    exposeEngineHook((name, command) => {
      // A later session's binding is added to the global again: it goes as this one did.
      delete scope[SERVICE_WORKER_BINDING];
      client(name, command);
    });
  };
}
