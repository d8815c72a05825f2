import { expect, test } from 'vitest';
import type { Handshake } from '../../shim/wire/messages';
import { MATCH_MS, uninstrumented } from './handshakes';

const handshake = (requestId: string, url: string, at: number): Handshake => ({
  requestId,
  url,
  frameId: 0,
  at,
  requestHeaders: [],
  status: 101,
  responseHeaders: [],
  error: null,
});

test('a handshake no reported socket accounts for is uninstrumented; each socket accounts for the nearest one to its URL, once', () => {
  const page = handshake('1', 'ws://a/chat', 1_000);
  const again = handshake('2', 'ws://a/chat', 1_500);
  const worker = handshake('3', 'ws://a/feed', 1_010);
  const long = handshake('4', 'ws://a/chat', 1_000 + MATCH_MS + 1);
  expect(uninstrumented([page, again, worker, long], [{ url: 'ws://a/chat', createdAt: 1_490 }, { url: 'ws://a/chat', createdAt: 990 }])).toEqual([worker, long]);
  expect(uninstrumented([page], [])).toEqual([page]);
});
