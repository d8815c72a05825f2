import { describe, expect, it } from 'vitest';
import { clampUnsignedShort, readCloseArguments, readCloseInfo } from './close-info';

describe('clampUnsignedShort (WebIDL [Clamp] unsigned short)', () => {
  it.each([
    [4000, 4000],
    ['3001', 3001],
    [3000.4, 3000],
    [3000.6, 3001],
    [3000.5, 3000],
    [3001.5, 3002],
    [4999.5, 5000],
    [Number.NaN, 0],
    [-5, 0],
    [65536, 65535],
    [Infinity, 65535],
    [null, 0],
  ])('%s is %s', (value, expected) => expect(clampUnsignedShort(value)).toBe(expected));

  it('throws as ToNumber does for a Symbol and a BigInt', () => {
    expect(() => clampUnsignedShort(Symbol('x'))).toThrow(TypeError);
    expect(() => clampUnsignedShort(1n)).toThrow(TypeError);
  });
});

describe('readCloseInfo', () => {
  const read = (value: unknown) => readCloseInfo(value, 'test');
  const errorOf = (value: unknown): string => {
    try {
      read(value);
      return 'none';
    } catch (error) {
      return (error as Error).name;
    }
  };

  it('gives no code for nothing, and 1000 for a reason alone', () => {
    expect(read(undefined)).toEqual({ code: null, reason: '' });
    expect(read(null)).toEqual({ code: null, reason: '' });
    expect(read({})).toEqual({ code: null, reason: '' });
    expect(read({ reason: '' })).toEqual({ code: null, reason: '' });
    expect(read({ reason: 'bye' })).toEqual({ code: 1000, reason: 'bye' });
    expect(read({ closeCode: 4001, reason: 'x' })).toEqual({ code: 4001, reason: 'x' });
  });

  it('refuses codes a page may not send, and reasons over 123 UTF-8 bytes', () => {
    expect(errorOf({ closeCode: 1001 })).toBe('InvalidAccessError');
    expect(errorOf({ closeCode: 2999 })).toBe('InvalidAccessError');
    expect(errorOf({ closeCode: 5000 })).toBe('InvalidAccessError');
    expect(errorOf({ closeCode: 3000 })).toBe('none');
    expect(errorOf({ closeCode: 4999 })).toBe('none');
    expect(errorOf({ reason: 'é'.repeat(62) })).toBe('SyntaxError');
    expect(errorOf({ reason: '€'.repeat(41) })).toBe('none');
    expect(errorOf(5)).toBe('TypeError');
  });

  it('reads each member once, code first, and makes the reason well-formed', () => {
    const reads: string[] = [];
    const info = {
      get closeCode() {
        reads.push('closeCode');
        return 4000;
      },
      get reason() {
        reads.push('reason');
        return 'a\ud800b';
      },
    };
    expect(read(info)).toEqual({ code: 4000, reason: 'a\ufffdb' });
    expect(reads).toEqual(['closeCode', 'reason']);
  });
});

describe('readCloseArguments (WebSocket.close)', () => {
  const errorOf = (args: unknown[], reading: 'standard' | 'chromium'): string => {
    try {
      readCloseArguments(args, reading);
      return 'no error';
    } catch (error) {
      return `${(error as Error).name}: ${(error as Error).message}`;
    }
  };

  it('reads a fractional code as the standard says, or cut off as Chromium 156 does', () => {
    expect(readCloseArguments([2999.5], 'standard').code).toBe(3000);
    expect(errorOf([2999.5], 'chromium')).toBe(
      "InvalidAccessError: Failed to execute 'close' on 'WebSocket': The close code must be either 1000, or between 3000 and 4999. 2999 is neither.",
    );
    expect(readCloseArguments([4000.9, 'r'], 'chromium')).toEqual({ code: 4000, reason: 'r' });
  });

  it('an undefined code is not given, except before a reason in Chromium, which reads it as 0', () => {
    expect(readCloseArguments([undefined], 'chromium')).toEqual({ code: undefined, reason: '' });
    expect(readCloseArguments([undefined, 'why'], 'standard')).toEqual({ code: undefined, reason: 'why' });
    expect(errorOf([undefined, 'why'], 'chromium')).toMatch(/0 is neither\.$/);
  });

  it('words the engine\'s own conversion errors as Chromium, and lets the page\'s through', () => {
    expect(errorOf([Symbol('c')], 'chromium')).toBe("TypeError: Failed to execute 'close' on 'WebSocket': Cannot convert a Symbol value to a number");
    expect(errorOf([1000, Object.create(null)], 'standard')).toBe(
      "TypeError: Failed to execute 'close' on 'WebSocket': Cannot convert object to primitive value",
    );
    const thrown = new RangeError('page');
    expect(() => readCloseArguments([{ valueOf: () => { throw thrown; } }], 'chromium')).toThrow(thrown);
  });
});
