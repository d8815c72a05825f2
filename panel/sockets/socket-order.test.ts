import { describe, expect, test } from 'vitest';
import type { SocketInfo } from '../../shim/wire/records';
import { arrange, DEFAULT_ORDER, durationOf } from './socket-order';
import type { SocketEntry } from '../model/store';

const entry = (id: number, info: Partial<SocketInfo>): SocketEntry =>
  ({
    key: `a:${id}`,
    info: { id, url: `wss://x.test/${id}`, kind: 'WebSocket', readyState: 1, frameUrl: 'https://x.test/', protocol: '', createdAt: id, openedAt: id, closedAt: null, sent: 0, received: 0, sentBytes: 0, receivedBytes: 0, ...info },
  }) as unknown as SocketEntry;

describe('socket order', () => {
  const sockets = [
    entry(1, { url: 'wss://x.test/chat', received: 5, receivedBytes: 50, closedAt: 11, readyState: 3 }),
    entry(2, { url: 'wss://x.test/feed', kind: 'WebSocketStream', received: 9, receivedBytes: 10 }),
    entry(3, { url: 'wss://y.test/chat', sent: 1, sentBytes: 500 }),
  ];
  const ids = (list: readonly SocketEntry[]) => list.map((e) => e.info.id);

  test('creation order by default, unchanged', () => {
    expect(arrange(sockets, DEFAULT_ORDER, 100)).toBe(sockets);
  });

  test('filters by URL, kind, state or frame', () => {
    expect(ids(arrange(sockets, { ...DEFAULT_ORDER, query: 'CHAT' }, 100))).toEqual([1, 3]);
    expect(ids(arrange(sockets, { ...DEFAULT_ORDER, query: 'stream' }, 100))).toEqual([2]);
    expect(ids(arrange(sockets, { ...DEFAULT_ORDER, query: 'closed' }, 100))).toEqual([1]);
  });

  test('sorts by messages, bytes, duration and URL, either way', () => {
    expect(ids(arrange(sockets, { query: '', sort: 'messages', descending: true }, 100))).toEqual([2, 1, 3]);
    expect(ids(arrange(sockets, { query: '', sort: 'bytes', descending: false }, 100))).toEqual([2, 1, 3]);
    expect(ids(arrange(sockets, { query: '', sort: 'duration', descending: true }, 100))).toEqual([2, 3, 1]);
    expect(ids(arrange(sockets, { query: '', sort: 'url', descending: true }, 100))).toEqual([3, 2, 1]);
    expect(durationOf(sockets[0], 100)).toBe(10);
  });
});
