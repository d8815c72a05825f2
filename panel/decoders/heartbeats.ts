// Each sub-protocol's heartbeat, as a whole text message, beside its decoder:
// what the messages filter hides with "Hide heartbeats". A new decoder adds
// its protocol's keep-alive here.
import type { ProtocolId } from './decoders';

export const HEARTBEATS: Partial<Record<ProtocolId, RegExp>> = {
  // Engine.IO's ping and pong packets.
  'socket.io': /^[23]$/,
  'graphql-ws': /^\{\s*"type"\s*:\s*"(ping|pong)"/,
  'subscriptions-transport-ws': /^\{\s*"type"\s*:\s*"ka"/,
  actioncable: /^\{\s*"type"\s*:\s*"ping"/,
  phoenix: /^\[[^\]]*"phoenix"\s*,\s*"heartbeat"/,
  // The JSON protocol's ping record.
  signalr: /^\{"type":6\}\u001e$/,
  // An end of line, or an empty message.
  stomp: /^\s*$/,
};

/** Heartbeats of no protocol in particular. */
export const GENERIC_HEARTBEATS: readonly RegExp[] = [/^(ping|pong|heartbeat|keepalive|keep-alive)$/i];
