// MQTT control packets (3.1, 3.1.1 and 5.0) read from a WebSocket message,
// which may hold several packets or a part of one (MQTT 5.0 §6). Written
// here because the maintained parser, mqtt-packet, needs Node's Buffer and
// streams; the unit tests check this reader against mqtt-packet's encoder.

export const MQTT_TYPES = [
  'reserved',
  'CONNECT',
  'CONNACK',
  'PUBLISH',
  'PUBACK',
  'PUBREC',
  'PUBREL',
  'PUBCOMP',
  'SUBSCRIBE',
  'SUBACK',
  'UNSUBSCRIBE',
  'UNSUBACK',
  'PINGREQ',
  'PINGRESP',
  'DISCONNECT',
  'AUTH',
] as const;

export type MqttPacket = { type: (typeof MQTT_TYPES)[number] } & Record<string, unknown>;

export interface MqttPackets {
  packets: MqttPacket[];
  /** Bytes at the end that do not make a whole packet: the rest comes in a later message. */
  partial: number;
}

/** The protocol level a CONNECT packet at the start of `bytes` announces (4: 3.1.1, 5: 5.0), or null. */
export function mqttLevel(bytes: Uint8Array): number | null {
  try {
    const [packet] = readMqttPackets(bytes, 4).packets;
    return packet?.type === 'CONNECT' ? (packet.protocolLevel as number) : null;
  } catch {
    return null;
  }
}

/** Every whole packet in the message; `level` is the session's (from its CONNECT), which tells 5.0's properties apart. */
export function readMqttPackets(bytes: Uint8Array, level: number): MqttPackets {
  const packets: MqttPacket[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const header = readFixedHeader(bytes, offset);
    if (!header || header.end + header.length > bytes.length) break;
    const body = new Reader(bytes.subarray(header.end, header.end + header.length));
    packets.push(readPacket(bytes[offset], body, level));
    offset = header.end + header.length;
  }
  return { packets, partial: bytes.length - offset };
}

/** The remaining length after the first byte (a variable byte integer), or null when the message ends inside it. */
function readFixedHeader(bytes: Uint8Array, offset: number): { length: number; end: number } | null {
  let length = 0;
  for (let i = 0; i < 4; i++) {
    const at = offset + 1 + i;
    if (at >= bytes.length) return null;
    length += (bytes[at] & 0x7f) * 128 ** i;
    if ((bytes[at] & 0x80) === 0) return { length, end: at + 1 };
  }
  throw new Error('a remaining length longer than 4 bytes');
}

class Reader {
  private offset = 0;
  constructor(private readonly bytes: Uint8Array) {}

  get left(): number {
    return this.bytes.length - this.offset;
  }

  byte(): number {
    if (this.left < 1) throw new Error('the packet ends early');
    return this.bytes[this.offset++];
  }

  uint16(): number {
    return this.byte() * 256 + this.byte();
  }

  uint32(): number {
    return this.uint16() * 65536 + this.uint16();
  }

  varint(): number {
    let value = 0;
    for (let i = 0; i < 4; i++) {
      const byte = this.byte();
      value += (byte & 0x7f) * 128 ** i;
      if ((byte & 0x80) === 0) return value;
    }
    throw new Error('a variable byte integer longer than 4 bytes');
  }

  take(length: number): Uint8Array {
    if (this.left < length) throw new Error('the packet ends early');
    this.offset += length;
    return this.bytes.subarray(this.offset - length, this.offset);
  }

  binary(): Uint8Array {
    return this.take(this.uint16());
  }

  string(): string {
    return utf8.decode(this.binary());
  }

  rest(): Uint8Array {
    return this.take(this.left);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A payload as text when it is UTF-8, else as base64: fields stay JSON-like. */
function payload(bytes: Uint8Array): string | { base64: string } {
  try {
    return utf8.decode(bytes);
  } catch {
    let binary = '';
    for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]);
    return { base64: btoa(binary) };
  }
}

type PropertyType = 'byte' | 'uint16' | 'uint32' | 'varint' | 'string' | 'binary' | 'pair';

/** MQTT 5.0 §2.2.2.2: identifier, name, type. */
const PROPERTIES: Record<number, [string, PropertyType]> = {
  1: ['payloadFormatIndicator', 'byte'],
  2: ['messageExpiryInterval', 'uint32'],
  3: ['contentType', 'string'],
  8: ['responseTopic', 'string'],
  9: ['correlationData', 'binary'],
  11: ['subscriptionIdentifier', 'varint'],
  17: ['sessionExpiryInterval', 'uint32'],
  18: ['assignedClientIdentifier', 'string'],
  19: ['serverKeepAlive', 'uint16'],
  21: ['authenticationMethod', 'string'],
  22: ['authenticationData', 'binary'],
  23: ['requestProblemInformation', 'byte'],
  24: ['willDelayInterval', 'uint32'],
  25: ['requestResponseInformation', 'byte'],
  26: ['responseInformation', 'string'],
  28: ['serverReference', 'string'],
  31: ['reasonString', 'string'],
  33: ['receiveMaximum', 'uint16'],
  34: ['topicAliasMaximum', 'uint16'],
  35: ['topicAlias', 'uint16'],
  36: ['maximumQoS', 'byte'],
  37: ['retainAvailable', 'byte'],
  38: ['userProperties', 'pair'],
  39: ['maximumPacketSize', 'uint32'],
  40: ['wildcardSubscriptionAvailable', 'byte'],
  41: ['subscriptionIdentifierAvailable', 'byte'],
  42: ['sharedSubscriptionAvailable', 'byte'],
};

function readProperties(reader: Reader): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  const within = new Reader(reader.take(reader.varint()));
  while (within.left > 0) {
    const id = within.varint();
    const known = PROPERTIES[id];
    if (!known) throw new Error(`unknown property ${id}`);
    const [name, type] = known;
    if (type === 'pair') {
      const pairs = (properties[name] ??= {}) as Record<string, string[]>;
      const key = within.string();
      (pairs[key] ??= []).push(within.string());
      continue;
    }
    const value = type === 'binary' ? payload(within.binary()) : within[type]();
    // A subscription may carry several identifiers.
    if (name === 'subscriptionIdentifier' && name in properties) properties[name] = [properties[name], value].flat();
    else properties[name] = value;
  }
  return properties;
}

/** Reason code, then properties, each present only when the packet is long enough (5.0). */
function readReason(reader: Reader, level: number): Record<string, unknown> {
  if (level < 5 || reader.left === 0) return {};
  const reasonCode = reader.byte();
  return reader.left > 0 ? { reasonCode, properties: readProperties(reader) } : { reasonCode };
}

function readPacket(first: number, reader: Reader, sessionLevel: number): MqttPacket {
  const type = MQTT_TYPES[first >> 4];
  const flags = first & 0x0f;
  const v5 = sessionLevel >= 5;
  const properties = () => (v5 ? { properties: readProperties(reader) } : {});
  switch (type) {
    case 'CONNECT': {
      const protocolName = reader.string();
      const protocolLevel = reader.byte();
      const connectFlags = reader.byte();
      const keepalive = reader.uint16();
      const own = protocolLevel >= 5;
      const packet: MqttPacket = {
        type,
        protocolName,
        protocolLevel,
        clean: (connectFlags & 0x02) !== 0,
        keepalive,
        ...(own && { properties: readProperties(reader) }),
        clientId: reader.string(),
      };
      if (connectFlags & 0x04) {
        packet.will = {
          ...(own && { properties: readProperties(reader) }),
          topic: reader.string(),
          payload: payload(reader.binary()),
          qos: (connectFlags >> 3) & 0x03,
          retain: (connectFlags & 0x20) !== 0,
        };
      }
      if (connectFlags & 0x80) packet.username = reader.string();
      // A password is binary data; shown as its length only, not its value.
      if (connectFlags & 0x40) packet.password = `(${reader.binary().length} bytes)`;
      return packet;
    }
    case 'CONNACK': {
      const sessionPresent = (reader.byte() & 0x01) !== 0;
      return { type, sessionPresent, [v5 ? 'reasonCode' : 'returnCode']: reader.byte(), ...(v5 && reader.left > 0 && { properties: readProperties(reader) }) };
    }
    case 'PUBLISH': {
      const qos = (flags >> 1) & 0x03;
      const topic = reader.string();
      const messageId = qos > 0 ? reader.uint16() : undefined;
      return { type, topic, qos, dup: (flags & 0x08) !== 0, retain: (flags & 0x01) !== 0, ...(messageId !== undefined && { messageId }), ...properties(), payload: payload(reader.rest()) };
    }
    case 'PUBACK':
    case 'PUBREC':
    case 'PUBREL':
    case 'PUBCOMP':
      return { type, messageId: reader.uint16(), ...readReason(reader, sessionLevel) };
    case 'SUBSCRIBE': {
      const messageId = reader.uint16();
      const head = properties();
      const subscriptions: Record<string, unknown>[] = [];
      while (reader.left > 0) {
        const topic = reader.string();
        const options = reader.byte();
        subscriptions.push({ topic, qos: options & 0x03, ...(v5 && { nl: (options & 0x04) !== 0, rap: (options & 0x08) !== 0, rh: (options >> 4) & 0x03 }) });
      }
      return { type, messageId, ...head, subscriptions };
    }
    case 'SUBACK':
    case 'UNSUBACK': {
      const messageId = reader.uint16();
      const head = properties();
      const codes = Array.from(reader.rest());
      return { type, messageId, ...head, ...((type === 'SUBACK' || v5) && { [type === 'SUBACK' ? 'granted' : 'reasonCodes']: codes }) };
    }
    case 'UNSUBSCRIBE': {
      const messageId = reader.uint16();
      const head = properties();
      const unsubscriptions: string[] = [];
      while (reader.left > 0) unsubscriptions.push(reader.string());
      return { type, messageId, ...head, unsubscriptions };
    }
    case 'PINGREQ':
    case 'PINGRESP':
      return { type };
    case 'DISCONNECT':
    case 'AUTH':
      return { type, ...readReason(reader, sessionLevel) };
    default:
      throw new Error('a reserved packet type');
  }
}
