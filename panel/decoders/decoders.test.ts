import { encode as encodeMessagePack } from '@msgpack/msgpack';
import { encode as encodeCbor } from 'cborg';
import { encodePacket } from 'engine.io-parser';
import { generate } from 'mqtt-packet';
import { Encoder, PacketType } from 'socket.io-parser';
import { describe, expect, test } from 'vitest';
import { decodeMessage, detectProtocol, type RawMessage } from './decoders';

const textMessage = (data: string): RawMessage => ({ type: 'text', data });
const binaryMessage = (bytes: Uint8Array): RawMessage => ({ type: 'binary', data: btoa(String.fromCharCode(...bytes)) });
const info = (url: string, protocol = '') => ({ url, protocol, protocols: protocol ? [protocol] : [] });

/** A Socket.IO event as the real encoders put it on the wire. */
function socketIoEvent(name: string, payload: unknown): Promise<string> {
  const [encoded] = new Encoder().encode({ type: PacketType.EVENT, nsp: '/chat', data: [name, payload] });
  return new Promise((resolve) => encodePacket({ type: 'message', data: encoded as string }, false, (wire) => resolve(wire as string)));
}

describe('protocol detection', () => {
  test('by subprotocol, URL, then first messages', () => {
    expect(detectProtocol(info('wss://x.test/graphql', 'graphql-transport-ws'), [])).toBe('graphql-ws');
    expect(detectProtocol(info('wss://x.test/graphql', 'graphql-ws'), [])).toBe('subscriptions-transport-ws');
    expect(detectProtocol(info('wss://x.test/ws', 'v12.stomp'), [])).toBe('stomp');
    expect(detectProtocol(info('wss://x.test/socket.io/?EIO=4&transport=websocket'), [])).toBe('socket.io');
    expect(detectProtocol(info('wss://x.test/socket/websocket?token=1&vsn=2.0.0'), [])).toBe('phoenix');
    expect(detectProtocol(info('wss://x.test/hub?id=abc'), [textMessage('{"protocol":"json","version":1}\u001e')])).toBe('signalr');
    expect(detectProtocol(info('wss://x.test/cable', 'actioncable-v1-json'), [])).toBe('actioncable');
    expect(detectProtocol(info('wss://x.test/mqtt', 'mqtt'), [])).toBe('mqtt');
    expect(detectProtocol(info('wss://x.test/feed'), [textMessage('hello')])).toBeNull();
  });
});

describe('decoders', () => {
  test('Socket.IO, from the real encoders', async () => {
    expect(decodeMessage('socket.io', textMessage(await socketIoEvent('chat message', { text: 'hi' })))).toEqual({
      summary: 'Socket.IO EVENT "chat message" on /chat',
      fields: { engineIo: 'message', socketIo: { type: 'EVENT', nsp: '/chat', data: ['chat message', { text: 'hi' }] } },
    });
    expect(decodeMessage('socket.io', textMessage('2'))).toMatchObject({ summary: 'Engine.IO ping' });
  });

  test('graphql-ws and SignalR', () => {
    expect(decodeMessage('graphql-ws', textMessage('{"id":"1","type":"next","payload":{"data":{"n":1}}}'))).toMatchObject({ summary: 'next #1' });
    expect(decodeMessage('signalr', textMessage('{"type":1,"target":"ReceiveMessage","arguments":["a","b"]}\u001e{"type":6}\u001e'))).toMatchObject({
      summary: 'Invocation ReceiveMessage, Ping',
    });
  });

  test('STOMP, Phoenix and Action Cable', () => {
    expect(decodeMessage('stomp', textMessage('MESSAGE\ndestination:/topic/prices\nmessage-id:7\n\n{"p":1}\u0000'))).toEqual({
      summary: 'MESSAGE /topic/prices',
      fields: { command: 'MESSAGE', headers: { destination: '/topic/prices', 'message-id': '7' }, body: '{"p":1}' },
    });
    expect(decodeMessage('phoenix', textMessage('["1","2","room:lobby","phx_join",{}]'))).toMatchObject({ summary: 'phx_join on room:lobby' });
    expect(decodeMessage('actioncable', textMessage('{"command":"subscribe","identifier":"{\\"channel\\":\\"ChatChannel\\"}"}'))).toMatchObject({
      summary: 'subscribe ChatChannel',
      fields: { identifier: { channel: 'ChatChannel' } },
    });
  });

  test('MQTT: detected by its CONNECT, later packets read at the level it announced', () => {
    const mqtt = (packet: Parameters<typeof generate>[0]) => binaryMessage(new Uint8Array(generate(packet, { protocolVersion: 5 })));
    const connect = mqtt({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 5, clean: true, keepalive: 60, clientId: 'c' });
    expect(detectProtocol(info('wss://x.test/'), [connect])).toBe('mqtt');
    const publish = mqtt({ cmd: 'publish', topic: 'room/1', payload: Buffer.from('hi'), qos: 1, messageId: 5, dup: false, retain: false, properties: { contentType: 'text/plain' } });
    expect(decodeMessage('mqtt', publish, [connect])).toEqual({
      summary: 'PUBLISH room/1',
      fields: { type: 'PUBLISH', topic: 'room/1', qos: 1, dup: false, retain: false, messageId: 5, properties: { contentType: 'text/plain' }, payload: 'hi' },
    });
    // Read as 3.1.1, the properties would be taken for payload: the session's level matters.
    expect(decodeMessage('mqtt', publish, [])).toMatchObject({ fields: { payload: expect.not.stringMatching(/^hi$/) } });
  });

  test('MessagePack and CBOR, from their libraries', () => {
    expect(decodeMessage('msgpack', binaryMessage(encodeMessagePack({ a: [1, 'x'] })))).toEqual({ summary: 'MessagePack', fields: { a: [1, 'x'] } });
    expect(decodeMessage('cbor', binaryMessage(encodeCbor({ b: true })))).toEqual({ summary: 'CBOR', fields: { b: true } });
  });

  test('a message that is not of the protocol says so', () => {
    expect(decodeMessage('graphql-ws', textMessage('plain'))).toMatchObject({ error: expect.stringContaining('not a graphql-ws message') });
    expect(decodeMessage('msgpack', textMessage('x'))).toMatchObject({ error: expect.stringContaining('not a MessagePack message') });
  });
});
