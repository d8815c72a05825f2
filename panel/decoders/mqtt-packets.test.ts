// The MQTT reader against the maintained encoder, mqtt-packet: every packet
// type, both protocol levels, as a real client puts them on the wire.
import { generate, type Packet } from 'mqtt-packet';
import { describe, expect, test } from 'vitest';
import { mqttLevel, readMqttPackets } from './mqtt-packets';

const wire = (packet: Packet, protocolVersion: number): Uint8Array => new Uint8Array(generate(packet, { protocolVersion }));
const read = (packet: Packet, level: number) => readMqttPackets(wire(packet, level), level);

describe('MQTT packets, read as mqtt-packet writes them', () => {
  test('CONNECT names its level; its will and credentials are read, the password shown by length only', () => {
    const connect: Packet = {
      cmd: 'connect',
      protocolId: 'MQTT',
      protocolVersion: 5,
      clean: true,
      keepalive: 30,
      clientId: 'page-1',
      username: 'ada',
      password: Buffer.from('secret'),
      will: { topic: 'status/page-1', payload: Buffer.from('gone'), qos: 1, retain: true, properties: { willDelayInterval: 5 } },
      properties: { sessionExpiryInterval: 60, userProperties: { app: 'demo' } },
    };
    const bytes = wire(connect, 5);
    expect(mqttLevel(bytes)).toBe(5);
    expect(readMqttPackets(bytes, 5)).toEqual({
      packets: [
        {
          type: 'CONNECT',
          protocolName: 'MQTT',
          protocolLevel: 5,
          clean: true,
          keepalive: 30,
          properties: { sessionExpiryInterval: 60, userProperties: { app: ['demo'] } },
          clientId: 'page-1',
          will: { properties: { willDelayInterval: 5 }, topic: 'status/page-1', payload: 'gone', qos: 1, retain: true },
          username: 'ada',
          password: '(6 bytes)',
        },
      ],
      partial: 0,
    });
    expect(mqttLevel(wire({ ...connect, protocolVersion: 4, will: undefined, properties: undefined }, 4))).toBe(4);
  });

  test('PUBLISH at each QoS, text and binary payloads, 3.1.1 and 5.0', () => {
    expect(read({ cmd: 'publish', topic: 'a/b', payload: Buffer.from('{"t":21.5}'), qos: 0, dup: false, retain: true }, 4).packets).toEqual([
      { type: 'PUBLISH', topic: 'a/b', qos: 0, dup: false, retain: true, payload: '{"t":21.5}' },
    ]);
    const v5 = read(
      { cmd: 'publish', topic: 'x', payload: Buffer.from([0xff, 0x00]), qos: 2, messageId: 42, dup: true, retain: false, properties: { contentType: 'application/octet-stream', topicAlias: 3 } },
      5,
    );
    expect(v5.packets).toEqual([
      { type: 'PUBLISH', topic: 'x', qos: 2, dup: true, retain: false, messageId: 42, properties: { contentType: 'application/octet-stream', topicAlias: 3 }, payload: { base64: '/wA=' } },
    ]);
  });

  test('acknowledgements, subscriptions and the rest', () => {
    expect(read({ cmd: 'connack', sessionPresent: true, returnCode: 0 }, 4).packets).toEqual([{ type: 'CONNACK', sessionPresent: true, returnCode: 0 }]);
    expect(read({ cmd: 'connack', sessionPresent: false, reasonCode: 0, properties: { maximumQoS: 1 } }, 5).packets).toEqual([
      { type: 'CONNACK', sessionPresent: false, reasonCode: 0, properties: { maximumQoS: 1 } },
    ]);
    expect(read({ cmd: 'puback', messageId: 7 }, 4).packets).toEqual([{ type: 'PUBACK', messageId: 7 }]);
    expect(read({ cmd: 'pubrec', messageId: 8, reasonCode: 16 }, 5).packets).toEqual([{ type: 'PUBREC', messageId: 8, reasonCode: 16, properties: {} }]);
    expect(
      read({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'a/#', qos: 1, nl: true, rap: false, rh: 2 }], properties: { subscriptionIdentifier: 9 } }, 5).packets,
    ).toEqual([{ type: 'SUBSCRIBE', messageId: 1, properties: { subscriptionIdentifier: 9 }, subscriptions: [{ topic: 'a/#', qos: 1, nl: true, rap: false, rh: 2 }] }]);
    expect(read({ cmd: 'subscribe', messageId: 2, subscriptions: [{ topic: 'b', qos: 0 }] }, 4).packets).toEqual([
      { type: 'SUBSCRIBE', messageId: 2, subscriptions: [{ topic: 'b', qos: 0 }] },
    ]);
    expect(read({ cmd: 'suback', messageId: 2, granted: [0, 128] }, 4).packets).toEqual([{ type: 'SUBACK', messageId: 2, granted: [0, 128] }]);
    expect(read({ cmd: 'unsubscribe', messageId: 3, unsubscriptions: ['a', 'b'] }, 4).packets).toEqual([{ type: 'UNSUBSCRIBE', messageId: 3, unsubscriptions: ['a', 'b'] }]);
    expect(read({ cmd: 'unsuback', messageId: 3, granted: [] }, 4).packets).toEqual([{ type: 'UNSUBACK', messageId: 3 }]);
    expect(read({ cmd: 'pingreq' }, 4).packets).toEqual([{ type: 'PINGREQ' }]);
    expect(read({ cmd: 'disconnect', reasonCode: 4, properties: { reasonString: 'bye' } }, 5).packets).toEqual([
      { type: 'DISCONNECT', reasonCode: 4, properties: { reasonString: 'bye' } },
    ]);
  });

  test('a message may hold several packets, or a part of one', () => {
    const ping = wire({ cmd: 'pingresp' }, 4);
    const publish = wire({ cmd: 'publish', topic: 't', payload: Buffer.alloc(300, 0x61), qos: 0, dup: false, retain: false }, 4);
    const both = new Uint8Array([...ping, ...publish]);
    expect(readMqttPackets(both, 4).packets.map((p) => p.type)).toEqual(['PINGRESP', 'PUBLISH']);
    expect(readMqttPackets(both.subarray(0, 100), 4)).toEqual({ packets: [{ type: 'PINGRESP' }], partial: 98 });
  });

  test('bytes that are no MQTT say so', () => {
    expect(mqttLevel(new Uint8Array([1, 2, 3]))).toBeNull();
    expect(() => readMqttPackets(new Uint8Array([0x00, 0x00]), 4)).toThrow('a reserved packet type');
    expect(() => readMqttPackets(new Uint8Array([0x30, 0x03, 0x00, 0x09, 0x61]), 4)).toThrow('the packet ends early');
  });
});
