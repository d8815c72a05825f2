import { expect, test } from 'vitest';
import { CONTROL_PATTERNS } from '../search/message-filter';
import type { ProtocolId } from './decoders';
import { HEARTBEATS } from './heartbeats';

const isHeartbeat = (text: string) => CONTROL_PATTERNS.some((pattern) => pattern.test(text));

// What each protocol's client or server sends to keep the connection alive.
const SAMPLES: [ProtocolId, string][] = [
  ['socket.io', '2'],
  ['socket.io', '3'],
  ['graphql-ws', '{"type":"ping"}'],
  ['graphql-ws', '{"type":"pong"}'],
  ['subscriptions-transport-ws', '{"type":"ka"}'],
  ['actioncable', '{"type":"ping","message":1765000000}'],
  ['phoenix', '[null,"12","phoenix","heartbeat",{}]'],
  ['signalr', '{"type":6}\u001e'],
  ['stomp', '\n'],
];

test.each(SAMPLES)('%s: %j is a heartbeat, by its own pattern', (protocol, text) => {
  expect(HEARTBEATS[protocol]?.test(text)).toBe(true);
  expect(isHeartbeat(text)).toBe(true);
});

test('ping/pong words of no protocol in particular are heartbeats; messages are not', () => {
  expect(['ping', 'PONG', 'keep-alive', ''].every(isHeartbeat)).toBe(true);
  expect(['4', '42["chat",{}]', '{"type":"next","id":"1"}', '[null,"12","room:lobby","phx_join",{}]', 'hello'].some(isHeartbeat)).toBe(false);
});
