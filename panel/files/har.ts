// HAR 1.2 with Chrome's WebSocket extension: one entry per socket, its
// messages in `_webSocketMessages` ({ type, time, opcode, data }: time in
// seconds since the epoch, opcode 1 for text and 2 for binary as base64),
// as Chrome DevTools writes and reads them. Export from the log; import
// Chrome's files or ours, every field checked and bounded (a HAR is as
// untrusted as a page). A message Sockscope sent or injected carries its
// mark in `_sockscopeMark`, which Chrome ignores.
import { LIMITS, WORKER_KINDS, type MessageRecord, type SocketInfo } from '../../shim/wire/records';
import type { LoggedMessage } from '../model/message-log';
import { isRecord } from '../model/is-record';
import { isMark } from '../model/marks';
import { parseJson } from './json-text';

export interface HarSocket {
  info: SocketInfo;
  messages: Iterable<LoggedMessage>;
}

const TEXT = 1;
const BINARY = 2;

/** A HAR document of these sockets and their messages. */
export function toHar(sockets: HarSocket[], creatorVersion: string): object {
  return {
    log: {
      version: '1.2',
      creator: { name: 'Sockscope', version: creatorVersion },
      pages: [],
      entries: sockets.map(({ info, messages }) => harEntry(info, messages)),
    },
  };
}

function harEntry(info: SocketInfo, logged: Iterable<LoggedMessage>): object {
  const messages = [];
  for (const item of logged) {
    messages.push({
      type: item.direction,
      time: item.time / 1000,
      opcode: item.type === 'text' ? TEXT : BINARY,
      data: item.data,
      ...(item.truncated && { _truncated: true }),
      ...(item.mark && { _sockscopeMark: item.mark }),
    });
  }
  const started = info.createdAt;
  const ended = info.closedAt ?? (messages.length > 0 ? (messages.at(-1)!.time as number) * 1000 : started);
  return {
    _resourceType: 'websocket',
    startedDateTime: new Date(started).toISOString(),
    time: Math.max(0, ended - started),
    request: {
      method: 'GET',
      url: info.url,
      httpVersion: 'HTTP/1.1',
      headers: info.protocols.length > 0 ? [{ name: 'Sec-WebSocket-Protocol', value: info.protocols.join(', ') }] : [],
      queryString: [],
      cookies: [],
      headersSize: -1,
      bodySize: 0,
    },
    response: {
      status: info.openedAt === null ? 0 : 101,
      statusText: info.openedAt === null ? '' : 'Switching Protocols',
      httpVersion: 'HTTP/1.1',
      headers: [
        ...(info.protocol ? [{ name: 'Sec-WebSocket-Protocol', value: info.protocol }] : []),
        ...(info.extensions ? [{ name: 'Sec-WebSocket-Extensions', value: info.extensions }] : []),
      ],
      cookies: [],
      content: { size: 0, mimeType: 'x-unknown' },
      redirectURL: '',
      headersSize: -1,
      bodySize: 0,
    },
    cache: {},
    timings: { send: 0, wait: 0, receive: 0 },
    _webSocketMessages: messages,
    _sockscope: {
      kind: info.kind,
      frameUrl: info.frameUrl,
      worker: info.worker,
      closeCode: info.closeCode,
      closeReason: info.closeReason,
      wasClean: info.wasClean,
      openedAt: info.openedAt,
      closedAt: info.closedAt,
    },
  };
}

export class HarError extends Error {
  override readonly name = 'HarError';
}

/** Bounds on an imported file, beyond the wire contract's per-field ones. */
export const HAR_LIMITS = { sockets: 10_000, messagesPerSocket: 1_000_000 } as const;

export interface ImportedSocket {
  info: SocketInfo;
  messages: MessageRecord[];
}

type Fields = Record<string, unknown>;
const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const clip = (x: unknown, max: number = LIMITS.string): string => (typeof x === 'string' ? x.slice(0, max) : '');

/** The WebSocket entries of a HAR (other entries are skipped), or a HarError saying what is wrong. */
export function fromHar(text: string): ImportedSocket[] {
  const document = parseJson(text, (message) => new HarError(message));
  const log = isRecord(document) ? document.log : undefined;
  if (!isRecord(log) || !Array.isArray(log.entries)) throw new HarError('not a HAR: no log.entries');
  const sockets: ImportedSocket[] = [];
  for (const entry of log.entries) {
    if (!isRecord(entry) || !Array.isArray(entry._webSocketMessages)) continue;
    if (sockets.length === HAR_LIMITS.sockets) throw new HarError(`more than ${HAR_LIMITS.sockets} WebSocket entries`);
    sockets.push(importEntry(entry, sockets.length + 1));
  }
  if (sockets.length === 0) throw new HarError('no WebSocket entries (_webSocketMessages) in this HAR');
  return sockets;
}

function importEntry(entry: Fields, id: number): ImportedSocket {
  const request = isRecord(entry.request) ? entry.request : {};
  const messages = entry._webSocketMessages as unknown[];
  if (messages.length > HAR_LIMITS.messagesPerSocket) throw new HarError(`socket ${id}: more than ${HAR_LIMITS.messagesPerSocket} messages`);
  const records: MessageRecord[] = [];
  let sent = 0;
  let received = 0;
  let sentBytes = 0;
  let receivedBytes = 0;
  messages.forEach((message, i) => {
    if (!isRecord(message) || (message.type !== 'send' && message.type !== 'receive') || !finite(message.time) || typeof message.data !== 'string') {
      throw new HarError(`socket ${id}, message ${i + 1}: needs type "send" or "receive", a numeric time and string data`);
    }
    const type = message.opcode === BINARY ? 'binary' : 'text';
    const data = message.data.slice(0, LIMITS.messageData);
    const size = type === 'text' ? new TextEncoder().encode(message.data).length : Math.floor((message.data.replace(/=+$/, '').length * 3) / 4);
    records.push({
      seq: i + 1,
      socketId: id,
      direction: message.type,
      type,
      size,
      data,
      truncated: data.length < message.data.length || message._truncated === true,
      time: message.time * 1000,
      ...(isMark(message._sockscopeMark) && { mark: message._sockscopeMark }),
    });
    if (message.type === 'send') {
      sent++;
      sentBytes += size;
    } else {
      received++;
      receivedBytes += size;
    }
  });
  const extra = isRecord(entry._sockscope) ? entry._sockscope : {};
  const started = typeof entry.startedDateTime === 'string' ? Date.parse(entry.startedDateTime) : Number.NaN;
  const createdAt = Number.isFinite(started) ? started : (records[0]?.time ?? 0);
  const closeCode = finite(extra.closeCode) && Number.isSafeInteger(extra.closeCode) && extra.closeCode >= 0 ? extra.closeCode : null;
  const info: SocketInfo = {
    id,
    kind: extra.kind === 'WebSocketStream' ? 'WebSocketStream' : 'WebSocket',
    provided: false,
    overStream: false,
    shaped: false,
    url: clip(request.url),
    protocols: [],
    frameUrl: clip(extra.frameUrl),
    worker: WORKER_KINDS.find((kind) => kind === extra.worker) ?? null,
    readyState: 3,
    protocol: '',
    extensions: '',
    createdAt,
    openedAt: finite(extra.openedAt) ? extra.openedAt : createdAt,
    closedAt: finite(extra.closedAt) ? extra.closedAt : null,
    error: false,
    closeCode,
    closeReason: clip(extra.closeReason),
    wasClean: typeof extra.wasClean === 'boolean' ? extra.wasClean : null,
    sent,
    received,
    sentBytes,
    receivedBytes,
    dropped: 0,
    lastSeq: 0,
  };
  return { info, messages: records };
}

/** The messages as JSON Lines: one object per line, for the filtered view's export. */
export function toJsonLines(messages: Iterable<LoggedMessage & { url: string }>): string {
  let text = '';
  for (const message of messages) {
    text += `${JSON.stringify({ url: message.url, direction: message.direction, type: message.type, time: message.time, size: message.size, data: message.data, truncated: message.truncated })}\n`;
  }
  return text;
}
