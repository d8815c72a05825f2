// Protocol decoders: what a WebSocket message means in the socket's protocol, as fields
// the JSON tree shows. A socket's protocol is detected from its subprotocol,
// its URL and its first messages, and the user can override it. Binary
// formats and Socket.IO use their maintained libraries; the JSON-based
// protocols (and STOMP's text messages) are read here, from their specs, and
// MQTT in mqtt-packets.ts.
import { decode as decodeMessagePack } from '@msgpack/msgpack';
import { decode as decodeCbor } from 'cborg';
import { decodePacket } from 'engine.io-parser';
import { Decoder as SocketIoDecoder, PacketType } from 'socket.io-parser';
import type { SocketInfo } from '../../shim/wire/records';
import { base64Bytes } from '../detail/hex-dump';
import { isRecord } from '../model/is-record';
import { mqttLevel, readMqttPackets } from './mqtt-packets';

export type ProtocolId =
  | 'socket.io'
  | 'graphql-ws'
  | 'subscriptions-transport-ws'
  | 'signalr'
  | 'stomp'
  | 'mqtt'
  | 'msgpack'
  | 'cbor'
  | 'phoenix'
  | 'actioncable';

/** What a message holds, in its protocol's terms. */
export interface Decoded {
  /** One line: the message's kind (and its name, topic or id where it has one). */
  summary: string;
  /** The decoded fields, as JSON-like data. */
  fields: unknown;
}

/** A message as decoders read it: text, or binary as base64. */
export interface RawMessage {
  type: 'text' | 'binary';
  data: string;
}

interface Protocol {
  id: ProtocolId;
  label: string;
  /** Subprotocols that name it. */
  subprotocols?: RegExp;
  /** URLs that give it away. */
  url?: RegExp;
  /** A first message that gives it away. */
  firstMessage?: (wsMessage: RawMessage) => boolean;
  /** Throws (or returns null) for a message that is not of the protocol. `session`: the socket's first messages. */
  decode(wsMessage: RawMessage, session: readonly RawMessage[]): Decoded | null;
}

const json = (text: string): unknown => JSON.parse(text);
const text = (wsMessage: RawMessage): string => {
  if (wsMessage.type !== 'text') throw new Error('a binary message');
  return wsMessage.data;
};
const bytes = (wsMessage: RawMessage): Uint8Array => {
  const decoded = wsMessage.type === 'binary' ? base64Bytes(wsMessage.data) : null;
  if (!decoded) throw new Error('not a binary message');
  return decoded;
};

const SOCKET_IO_TYPES = PacketType as unknown as Record<number, string>;

function decodeSocketIo(wsMessage: RawMessage): Decoded {
  const packet = decodePacket(text(wsMessage));
  if (packet.type === 'error') throw new Error('not an Engine.IO packet');
  if (packet.type !== 'message' || typeof packet.data !== 'string') {
    return { summary: `Engine.IO ${packet.type}`, fields: { engineIo: packet.type, data: packet.data ?? null } };
  }
  let decoded: unknown = null;
  const decoder = new SocketIoDecoder();
  decoder.on('decoded', (result: unknown) => (decoded = result));
  decoder.add(packet.data);
  if (!isRecord(decoded)) throw new Error('not a Socket.IO packet');
  const type = SOCKET_IO_TYPES[decoded.type as number] ?? String(decoded.type);
  const event = Array.isArray(decoded.data) && typeof decoded.data[0] === 'string' ? ` "${decoded.data[0]}"` : '';
  return { summary: `Socket.IO ${type}${event}${decoded.nsp && decoded.nsp !== '/' ? ` on ${String(decoded.nsp)}` : ''}`, fields: { engineIo: 'message', socketIo: { ...decoded, type } } };
}

/** graphql-ws and subscriptions-transport-ws: `{ type, id?, payload? }`. */
function decodeTypedJson(wsMessage: RawMessage): Decoded {
  const message = json(text(wsMessage));
  if (!isRecord(message) || typeof message.type !== 'string') throw new Error('no "type"');
  return { summary: `${message.type}${message.id !== undefined ? ` #${String(message.id)}` : ''}`, fields: message };
}

const SIGNALR_TYPES = ['', 'Invocation', 'StreamItem', 'Completion', 'StreamInvocation', 'CancelInvocation', 'Ping', 'Close', 'Ack', 'Sequence'];

/** SignalR's JSON protocol: records each ended by U+001E. */
function decodeSignalR(wsMessage: RawMessage): Decoded {
  const records = text(wsMessage).split('\u001e').filter((record) => record !== '').map(json);
  if (records.length === 0 || !records.every(isRecord)) throw new Error('not SignalR records');
  const names = records.map((record) => (typeof record.type === 'number' ? (SIGNALR_TYPES[record.type] ?? `type ${record.type}`) : 'Handshake'));
  const targets = records.map((record) => (typeof record.target === 'string' ? ` ${record.target}` : ''));
  return { summary: names.map((name, i) => name + targets[i]).join(', '), fields: records.length === 1 ? records[0] : records };
}

/** STOMP 1.x: COMMAND, header lines, a blank line, the body, NUL. */
function decodeStomp(wsMessage: RawMessage): Decoded {
  const raw = text(wsMessage);
  if (/^\r?\n$/.test(raw)) return { summary: 'heart-beat', fields: { command: 'HEARTBEAT' } };
  const end = raw.indexOf('\n\n') >= 0 ? raw.indexOf('\n\n') : raw.indexOf('\r\n\r\n');
  const head = (end >= 0 ? raw.slice(0, end) : raw).split(/\r?\n/);
  const command = head[0];
  if (!/^[A-Z]+$/.test(command)) throw new Error('no STOMP command');
  const headers: Record<string, string> = {};
  for (const line of head.slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0 && !(line.slice(0, colon) in headers)) headers[line.slice(0, colon)] = line.slice(colon + 1);
  }
  const body = end >= 0 ? raw.slice(end + (raw[end] === '\r' ? 4 : 2)).replace(/\0[\r\n]*$/, '') : '';
  return { summary: `${command}${headers.destination ? ` ${headers.destination}` : ''}`, fields: { command, headers, body } };
}

/** Phoenix channels: v2 arrays `[join_ref, ref, topic, event, payload]`, v1 objects. */
function decodePhoenix(wsMessage: RawMessage): Decoded {
  const message = json(text(wsMessage));
  const fields = Array.isArray(message)
    ? { join_ref: message[0], ref: message[1], topic: message[2], event: message[3], payload: message[4] }
    : isRecord(message)
      ? message
      : null;
  if (!fields || typeof fields.topic !== 'string' || typeof fields.event !== 'string') throw new Error('no topic and event');
  return { summary: `${fields.event} on ${fields.topic}`, fields };
}

/** Action Cable: `{ type }` from the server, `{ command, identifier, data }` from the page; identifier and data are JSON in JSON. */
function decodeActionCable(wsMessage: RawMessage): Decoded {
  const message = json(text(wsMessage));
  if (!isRecord(message) || (typeof message.type !== 'string' && typeof message.command !== 'string' && !('message' in message))) {
    throw new Error('no type, command or message');
  }
  const inner = (value: unknown) => {
    if (typeof value !== 'string') return value;
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  };
  const fields = { ...message, ...('identifier' in message && { identifier: inner(message.identifier) }), ...('data' in message && { data: inner(message.data) }) };
  const channel = isRecord(fields.identifier) && typeof fields.identifier.channel === 'string' ? ` ${fields.identifier.channel}` : '';
  return { summary: `${String(message.type ?? message.command ?? 'message')}${channel}`, fields };
}

/** The level a message holding an MQTT CONNECT announces, or null for any other message. */
const connectLevel = (wsMessage: RawMessage): number | null => (wsMessage.type === 'binary' ? mqttLevel(base64Bytes(wsMessage.data) ?? new Uint8Array()) : null);

/** The level the session's CONNECT announced (4: 3.1.1, 5: 5.0); 3.1.1 when none was seen. */
function sessionMqttLevel(session: readonly RawMessage[]): number {
  for (const wsMessage of session) {
    const level = connectLevel(wsMessage);
    if (level !== null) return level;
  }
  return 4;
}

function decodeMqtt(wsMessage: RawMessage, session: readonly RawMessage[]): Decoded {
  const { packets, partial } = readMqttPackets(bytes(wsMessage), sessionMqttLevel(session));
  const names = packets.map((packet) => (typeof packet.topic === 'string' ? `${packet.type} ${packet.topic}` : packet.type));
  if (partial > 0) names.push(`part of a packet (${partial} bytes)`);
  const fields = packets.length === 1 && partial === 0 ? packets[0] : { packets, ...(partial > 0 && { partialBytes: partial }) };
  return { summary: names.join(', '), fields };
}

const PROTOCOLS: Protocol[] = [
  { id: 'socket.io', label: 'Socket.IO', url: /\/socket\.io\/.*EIO=/, firstMessage: (f) => f.type === 'text' && /^0\{"sid":/.test(f.data), decode: decodeSocketIo },
  { id: 'graphql-ws', label: 'graphql-ws', subprotocols: /^graphql-transport-ws$/, firstMessage: (f) => f.type === 'text' && /^\{"type":"connection_init"/.test(f.data), decode: decodeTypedJson },
  { id: 'subscriptions-transport-ws', label: 'subscriptions-transport-ws', subprotocols: /^graphql-ws$/, decode: decodeTypedJson },
  { id: 'signalr', label: 'SignalR (JSON)', firstMessage: (f) => f.type === 'text' && /^\{"protocol":"json","version":\d+\}\u001e/.test(f.data), decode: decodeSignalR },
  { id: 'stomp', label: 'STOMP', subprotocols: /^v1[0-2]\.stomp$/, firstMessage: (f) => f.type === 'text' && /^(CONNECT|STOMP)\r?\n/.test(f.data), decode: decodeStomp },
  { id: 'mqtt', label: 'MQTT', subprotocols: /^mqtt(v3\.1)?$/i, firstMessage: (f) => connectLevel(f) !== null, decode: decodeMqtt },
  { id: 'phoenix', label: 'Phoenix channels', url: /\/websocket\?(.*&)?vsn=/, decode: decodePhoenix },
  { id: 'actioncable', label: 'Action Cable', subprotocols: /^actioncable-v1-/, firstMessage: (f) => f.type === 'text' && /^\{"type":"welcome"/.test(f.data), decode: decodeActionCable },
  { id: 'msgpack', label: 'MessagePack', subprotocols: /msgpack/i, decode: (f) => ({ summary: 'MessagePack', fields: decodeMessagePack(bytes(f)) }) },
  { id: 'cbor', label: 'CBOR', subprotocols: /cbor/i, decode: (f) => ({ summary: 'CBOR', fields: decodeCbor(bytes(f)) }) },
];

export const PROTOCOL_CHOICES: readonly { id: ProtocolId; label: string }[] = PROTOCOLS.map(({ id, label }) => ({ id, label }));

export const protocolLabel = (id: ProtocolId): string => PROTOCOLS.find((p) => p.id === id)?.label ?? id;

/** The socket's protocol as its subprotocol, URL or first messages say, or null. */
export function detectProtocol(info: Pick<SocketInfo, 'url' | 'protocol' | 'protocols'>, firstMessages: readonly RawMessage[]): ProtocolId | null {
  const subprotocols = info.protocol ? [info.protocol] : info.protocols;
  for (const protocol of PROTOCOLS) {
    if (protocol.subprotocols && subprotocols.some((name) => protocol.subprotocols!.test(name))) return protocol.id;
  }
  for (const protocol of PROTOCOLS) if (protocol.url?.test(info.url)) return protocol.id;
  for (const protocol of PROTOCOLS) if (protocol.firstMessage && firstMessages.some(protocol.firstMessage)) return protocol.id;
  return null;
}

/** The message decoded as `protocol`, or an error message saying why it is not. `session`: the socket's first messages. */
export function decodeMessage(protocol: ProtocolId, wsMessage: RawMessage, session: readonly RawMessage[] = []): Decoded | { error: string } {
  const decoder = PROTOCOLS.find((p) => p.id === protocol);
  if (!decoder) return { error: `no decoder for ${protocol}` };
  try {
    return decoder.decode(wsMessage, session) ?? { error: `not a ${decoder.label} message` };
  } catch (error) {
    return { error: `not a ${decoder.label} message: ${error instanceof Error ? error.message : String(error)}` };
  }
}
