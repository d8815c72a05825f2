import { expect, test } from 'vitest';
import type { Handshake } from '../../shim/wire/messages';
import { handshakeOf, handshakeOutcome, MATCH_MS, uninstrumented } from './handshakes';

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

test("a socket's handshake is the nearest in time to its URL; how it went, in words", () => {
  const early = handshake('1', 'ws://a/', 1_000);
  const late = handshake('2', 'ws://a/', 3_000);
  expect(handshakeOf([early, late], { url: 'ws://a/', createdAt: 2_900 })).toBe(late);
  expect(handshakeOf([early, late], { url: 'ws://b/', createdAt: 2_900 })).toBeNull();
  expect([early, { ...early, status: null }, { ...early, status: 403 }, { ...early, status: null, error: 'net::ERR_CONNECTION_REFUSED' }].map(handshakeOutcome)).toEqual([
    'opened',
    'connecting',
    'refused (403)',
    'failed: net::ERR_CONNECTION_REFUSED',
  ]);
});
