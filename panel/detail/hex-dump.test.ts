import { describe, expect, test } from 'vitest';
import { base64Bytes, hexDump } from './hex-dump';

describe('hex dump', () => {
  test('offsets, hex in two groups of eight, ASCII with dots for the unprintable', () => {
    const bytes = new TextEncoder().encode('Hello, world!\n\u0000\u0001AB');
    expect(hexDump(bytes)).toEqual([
      '00000000  48 65 6c 6c 6f 2c 20 77  6f 72 6c 64 21 0a 00 01  Hello, world!...',
      '00000010  41 42                                             AB',
    ]);
  });

  test('stops at its limit', () => {
    expect(hexDump(new Uint8Array(100), 32)).toHaveLength(2);
  });

  test('decodes base64, or says it does not', () => {
    expect(base64Bytes('AAEC')).toEqual(new Uint8Array([0, 1, 2]));
    expect(base64Bytes('*not base64*')).toBeNull();
  });
});
