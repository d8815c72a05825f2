import { afterEach, beforeEach, expect, test, vi } from 'vitest';

// The shim saves console.warn when it loads, as it does every built-in it uses: spy first, then load.
let warn: ReturnType<typeof vi.spyOn>;
let state: typeof import('./connection-state');
beforeEach(async () => {
  vi.resetModules();
  warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  state = await import('./connection-state');
});
afterEach(() => vi.restoreAllMocks());

test('the moves a connection can make are allowed, silently', () => {
  const { CONNECTION, CONNECTING, OPEN, CLOSING, CLOSED, DROPPED } = state;
  expect(CONNECTION.allows(1, CONNECTING, OPEN)).toBe(true);
  expect(CONNECTION.allows(1, OPEN, CLOSING)).toBe(true);
  expect(CONNECTION.allows(1, CLOSING, CLOSED)).toBe(true);
  expect(CONNECTION.allows(1, OPEN, DROPPED)).toBe(true);
  expect(CONNECTION.allows(1, DROPPED, CLOSED)).toBe(true);
  expect(warn).not.toHaveBeenCalled();
});

test('a move no connection makes is refused, and the warning names the socket and both states', () => {
  const { CONNECTION, OPEN, CLOSED, DROPPED } = state;
  expect(CONNECTION.allows(7, CLOSED, OPEN)).toBe(false);
  expect(CONNECTION.allows(7, DROPPED, OPEN)).toBe(false);
  expect(warn.mock.calls).toEqual([['[sockscope] socket 7: no move from CLOSED to OPEN'], ['[sockscope] socket 7: no move from DROPPED to OPEN']]);
});

test('a dropped connection reads as CLOSED', () => {
  const { CONNECTING, OPEN, CLOSING, CLOSED, DROPPED, readyStateOf } = state;
  expect(([CONNECTING, OPEN, CLOSING, CLOSED, DROPPED] as const).map(readyStateOf)).toEqual([0, 1, 2, 3, 3]);
});
