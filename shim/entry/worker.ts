// The engine a worker runs before its own code; the background puts it there
// (Firefox: first on the first line of the worker's script response;
// Chromium: evaluated through the debugger before the worker's script
// starts). It defines no globals. It makes the worker's private channel: one
// end serves the panel, the other goes to whoever created the worker as the
// worker's first message (to each client of a SharedWorker, on the client's
// port), and that realm's shim hands it on to the bridge. A service worker has
// no creator: in Chromium its channel goes through the debugger that runs it
// (debugger-channel.ts), in Firefox through a BroadcastChannel whose secret
// name its script starts with (broadcast-channel.ts). Every module of a
// module worker carries a copy: only the first to run installs.
import { fromBroadcast } from '../capture/broadcast-channel';
import { fromDebugger } from '../capture/debugger-channel';
import { servePanel } from '../capture/serve-panel';
import { adoptWorkerRealms } from '../capture/worker-realms';
import type { PortSource } from '../capture/bridge-channel';
import { install } from './install';
import { engineInstalled } from '../realm/mask';
import { addEventListener, channelPort1, channelPort2, messageEventPorts, NativeMessageChannel, portPostMessage, safely } from '../realm/natives';
import { uncurry } from '../realm/uncurry';
import { workerKind } from '../realm/worker-kind';
import { REALM_PORT } from '../wire/names';

/** A new channel: one end is this worker's, the other is posted to its creator with `post`. */
function offerChannel(post: (port: MessagePort) => void, take: (port: MessagePort) => void): void {
  const channel = new NativeMessageChannel();
  post(channelPort2(channel));
  take(channelPort1(channel));
}

/** A dedicated worker posts to the object its creator holds. */
const toCreator =
  (global: typeof globalThis): PortSource =>
  (take) => {
    const postMessage = uncurry(global.postMessage as (message: unknown, transfer: Transferable[]) => void);
    offerChannel((port) => postMessage(global, REALM_PORT, [port]), take);
  };

/**
 * A SharedWorker posts on the port of each client that connects (before the
 * worker's own `connect` listeners run: this one is the first), so that the
 * panel of each client's tab shows its sockets.
 */
const toClients =
  (global: typeof globalThis): PortSource =>
  (take) => {
    const onConnect = (event: Event) => {
      const client = messageEventPorts(event)[0];
      if (client) offerChannel((port) => portPostMessage(client, REALM_PORT, [port]), take);
    };
    addEventListener(global, 'connect', (event) => safely(onConnect, event), true);
  };

/** Where this realm's ports come from, by its kind; null where it has no way to the panel. */
function portSource(global: typeof globalThis): PortSource | null {
  switch (workerKind(global)) {
    case 'dedicated':
      return toCreator(global);
    case 'shared':
      return toClients(global);
    case 'service':
      return fromDebugger(global) ?? fromBroadcast(global);
    default:
      return null;
  }
}

if (!engineInstalled()) {
  const source = portSource(globalThis);
  if (source) {
    const installed = install(globalThis);
    adoptWorkerRealms(globalThis, installed.mask, servePanel(globalThis, installed, source));
  }
}
