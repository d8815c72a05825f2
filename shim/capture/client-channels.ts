// A service worker's channels, one per client that asks: the background's
// debugging sessions in Chromium (debugger-channel.ts), the bridges of the
// worker's origin in Firefox (broadcast-channel.ts). Neither way can carry a
// MessagePort, so each client's channel is a MessageChannel whose far end
// the engine serves like any realm's port, relayed by name.
import { addEventListener, channelPort1, channelPort2, messageEventData, NativeMessageChannel, portPostMessage, portStart, safely } from '../realm/natives';

/** Clients served at once: the tabs a service worker serves. */
const MAX_CLIENTS = 64;
/** A client's name comes from outside the engine: bounded, as everything such a caller passes. */
const MAX_CLIENT_CHARS = 200;

/**
 * `(client)` opens a channel for that client, handing its far end to `take`;
 * `(client, command)` hands the client's channel a command. What the channel
 * says goes to `relay` with its client's name.
 */
export function clientChannels(relay: (client: string, message: unknown) => void, take: (port: MessagePort) => void): (client: unknown, command?: unknown) => void {
  // A null-prototype record: no page-reachable lookup.
  const clients: Record<string, MessagePort> = Object.create(null) as Record<string, MessagePort>;
  let count = 0;
  const onMessage = (client: string, event: Event) => relay(client, messageEventData(event));
  return (client, command) => {
    if (typeof client !== 'string' || client.length > MAX_CLIENT_CHARS) return;
    const ours = clients[client];
    if (command !== undefined) return void (ours && portPostMessage(ours, command));
    if (ours || count >= MAX_CLIENTS) return;
    count++;
    const channel = new NativeMessageChannel();
    clients[client] = channelPort1(channel);
    addEventListener(channelPort1(channel), 'message', (event) => safely(onMessage, client, event));
    portStart(channelPort1(channel));
    take(channelPort2(channel));
  };
}
