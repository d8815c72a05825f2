import { describe, expect, test } from 'vitest';
import type { SocketInfo } from '../../shim/wire/records';
import type { LoggedMessage } from '../model/message-log';
import { fromHar, HarError, toHar, toJsonLines } from './har';

const info: SocketInfo = {
  id: 4, kind: 'WebSocket', provided: false, overStream: false, shaped: false, url: 'wss://x.test/feed', protocols: ['chat'],
  frameUrl: 'https://x.test/', worker: null, readyState: 3, protocol: 'chat', extensions: '', createdAt: 1_700_000_000_000, openedAt: 1_700_000_000_050,
  closedAt: 1_700_000_001_000, error: false, closeCode: 1000, closeReason: 'bye', wasClean: true, sent: 1, received: 1, sentBytes: 5, receivedBytes: 3, dropped: 0, lastSeq: 0,
};
const message = (index: number, fields: Partial<LoggedMessage>): LoggedMessage => ({
  index, socket: 0, seq: index + 1, direction: 'send', type: 'text', size: 5, data: 'hello', truncated: false, time: 1_700_000_000_100 + index, previewOnly: false, ...fields,
});

describe('HAR', () => {
  test('export then import gives the same socket and messages', () => {
    const messages = [message(0, {}), message(1, { direction: 'receive', type: 'binary', size: 3, data: 'AAEC' })];
    const har = JSON.parse(JSON.stringify(toHar([{ info, messages }], '0.1.0')));
    expect(har.log.version).toBe('1.2');
    expect(har.log.entries[0]._webSocketMessages).toEqual([
      { type: 'send', time: 1_700_000_000.1, opcode: 1, data: 'hello' },
      { type: 'receive', time: 1_700_000_000.101, opcode: 2, data: 'AAEC' },
    ]);
    const [socket] = fromHar(JSON.stringify(har));
    expect(socket.info).toMatchObject({ url: info.url, kind: 'WebSocket', closeCode: 1000, closeReason: 'bye', wasClean: true, sent: 1, received: 1, sentBytes: 5, receivedBytes: 3 });
    expect(socket.messages.map(({ direction, type, size, data, time }) => ({ direction, type, size, data, time }))).toEqual([
      { direction: 'send', type: 'text', size: 5, data: 'hello', time: 1_700_000_000_100 },
      { direction: 'receive', type: 'binary', size: 3, data: 'AAEC', time: 1_700_000_000_101 },
    ]);
  });

  test("keeps Sockscope's marks in a field of its own, and reads them back", () => {
    const messages = [message(0, { mark: 'sent' }), message(1, { direction: 'receive', mark: 'injected' }), message(2, {})];
    const har = JSON.parse(JSON.stringify(toHar([{ info, messages }], '0.1.0')));
    const written = har.log.entries[0]._webSocketMessages;
    expect(written.map((m: Record<string, unknown>) => m._sockscopeMark)).toEqual(['sent', 'injected', undefined]);
    // Chrome's own fields stay as Chrome writes them.
    expect(written[0]).toEqual({ type: 'send', time: 1_700_000_000.1, opcode: 1, data: 'hello', _sockscopeMark: 'sent' });
    expect(fromHar(JSON.stringify(har))[0].messages.map((m) => m.mark)).toEqual(['sent', 'injected', undefined]);
  });

  test('ignores a mark it does not know', () => {
    const har = JSON.parse(JSON.stringify(toHar([{ info, messages: [message(0, {})] }], '0.1.0')));
    har.log.entries[0]._webSocketMessages[0]._sockscopeMark = 'toString';
    expect(fromHar(JSON.stringify(har))[0].messages[0].mark).toBeUndefined();
  });

  test("imports Chrome's format, skipping other entries", () => {
    const chrome = {
      log: {
        version: '1.2',
        creator: { name: 'WebInspector', version: '537.36' },
        entries: [
          { request: { method: 'GET', url: 'https://x.test/' }, response: { status: 200 } },
          {
            _resourceType: 'websocket',
            startedDateTime: '2026-11-23T10:00:00.000Z',
            request: { method: 'GET', url: 'wss://x.test/socket' },
            response: { status: 101 },
            _webSocketMessages: [
              { type: 'send', time: 1795428000.5, opcode: 1, data: '{"a":1}' },
              { type: 'receive', time: 1795428000.75, opcode: 1, data: 'é' },
            ],
          },
        ],
      },
    };
    const sockets = fromHar(JSON.stringify(chrome));
    expect(sockets).toHaveLength(1);
    expect(sockets[0].info.url).toBe('wss://x.test/socket');
    expect(sockets[0].info.createdAt).toBe(Date.parse('2026-11-23T10:00:00.000Z'));
    expect(sockets[0].messages[1]).toMatchObject({ direction: 'receive', size: 2, data: 'é', time: 1795428000750 });
  });

  test('refuses what is not a HAR of WebSockets, saying why', () => {
    expect(() => fromHar('{')).toThrow(HarError);
    expect(() => fromHar('{"log":{}}')).toThrow('no log.entries');
    expect(() => fromHar('{"log":{"entries":[]}}')).toThrow('no WebSocket entries');
    expect(() => fromHar('{"log":{"entries":[{"_webSocketMessages":[{"type":"sideways","time":1,"data":""}]}]}}')).toThrow('socket 1, message 1');
  });

  test('JSON Lines: one message per line', () => {
    const lines = toJsonLines([{ ...message(0, {}), url: 'wss://x.test/' }]).split('\n');
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0])).toMatchObject({ url: 'wss://x.test/', direction: 'send', data: 'hello' });
  });
});
