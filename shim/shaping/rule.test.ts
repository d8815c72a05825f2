import { describe, expect, it } from 'vitest';
import { readRule, RuleError } from './rule';

const error = (input: unknown): string => {
  try {
    readRule(input);
    return 'none';
  } catch (e) {
    expect(e).toBeInstanceOf(RuleError);
    return (e as Error).message;
  }
};

describe('readRule', () => {
  it('reads the short forms of match and leaves out what is not given', () => {
    expect(readRule({ match: '/chat' })).toEqual({ match: { kind: 'url', value: '/chat' }, up: null, down: null, consumer: null, offline: null });
    expect(readRule({ match: /chat$/i }).match).toEqual({ kind: 'regex', source: 'chat$', flags: 'i' });
    expect(readRule({ match: 3 }).match).toEqual({ kind: 'socket', id: 3 });
    expect(readRule({ match: { kind: 'regex', source: 'a+' } }).match).toEqual({ kind: 'regex', source: 'a+', flags: '' });
  });

  it('fills unset numbers with 0 (no effect)', () => {
    expect(readRule({ match: 'x', down: { latencyMs: 100 }, consumer: { paused: true }, offline: 'stall' })).toEqual({
      match: { kind: 'url', value: 'x' },
      up: null,
      down: { latencyMs: 100, jitterMs: 0, bytesPerSecond: 0, messagesPerSecond: 0 },
      consumer: { messagesPerSecond: 0, paused: true },
      offline: 'stall',
    });
  });

  it('says what is wrong with bad values, naming the field', () => {
    expect(error({ match: 'x', up: { latencyMs: -1 } })).toBe('up.latencyMs must not be negative (-1)');
    expect(error({ match: 'x', down: { bytesPerSecond: Number.NaN } })).toBe('down.bytesPerSecond must be a finite number, not NaN');
    expect(error({ match: 'x', down: { jitterMs: 1e12 } })).toBe('down.jitterMs is 1000000000000, more than the limit of 600000');
    expect(error({ match: 'x', down: { latencyMs: '100' } })).toBe('down.latencyMs must be a finite number, not the string "100"');
    expect(error({ match: 'x', consumer: { messagesPerSecond: Infinity } })).toBe('consumer.messagesPerSecond must be a finite number, not Infinity');
    expect(error({ match: 'x', consumer: { paused: 'yes' } })).toBe('consumer.paused must be true or false');
    expect(error({ match: 'x', offline: 'maybe' })).toBe('offline must be "stall", "drop", "refuse" or null');
    expect(error({ match: 'x', down: { latency: 5 } })).toBe('unknown field "down.latency" (known: latencyMs, jitterMs, bytesPerSecond, messagesPerSecond)');
    expect(error({ match: 'x', speed: 5 })).toBe('unknown field "speed" (known: match, up, down, consumer, offline)');
  });

  it('refuses a missing or malformed match, and a regular expression that does not compile, with its message', () => {
    expect(error({})).toMatch(/^match must be/);
    expect(error({ match: '' })).toBe('match must be a non-empty string');
    expect(error({ match: 0 })).toBe('match must be a socket id (a positive integer)');
    expect(error({ match: { kind: 'regex', source: '(' } })).toMatch(/^match: the regular expression does not compile: .*(unterminated|Unterminated)/);
    expect(error({ match: { kind: 'regex', source: 'a', flags: 'g' } })).toMatch(/flags "g"/);
    expect(error(null)).toMatch(/^a rule must be an object/);
  });
});
