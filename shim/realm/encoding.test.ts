import { describe, expect, it } from 'vitest';
import { toBase64, utf8Length } from './encoding';

describe('utf8Length', () => {
  it('matches TextEncoder for well-formed text', () => {
    for (const text of ['', 'ascii', 'hé', '€uro', '😀 pair', 'mixé€😀'.repeat(100), 'é😀'.repeat(40_000)]) {
      expect(utf8Length(text)).toBe(new TextEncoder().encode(text).length);
    }
  });

  it('counts a pair or a lone surrogate right where long text is measured in slices (64 Ki units)', () => {
    const at = (unit: string) => 'a'.repeat(64 * 1024 - 1) + unit + 'b'.repeat(70_000);
    for (const text of [at('😀'), at('\ud800'), at('\udc00'), at('\ud800\ud800\udc00'), 'a'.repeat(64 * 1024) + '\ud83d']) {
      expect(utf8Length(text)).toBe(new TextEncoder().encode(text).length);
    }
  });

  it('counts a lone surrogate as U+FFFD, as a USVString send does', () => {
    for (const text of ['\ud800', 'a\udc00b', '\ud83d\ud83d\ude00', 'x\ud800'.repeat(40_000)]) {
      expect(utf8Length(text)).toBe(new TextEncoder().encode(text).length);
    }
  });
});

describe('toBase64', () => {
  it('matches Buffer for sizes around the chunk boundary', () => {
    for (const size of [0, 1, 2, 3, 0x6000 - 1, 0x6000, 0x6000 + 1, 100_000]) {
      const bytes = Uint8Array.from({ length: size }, (_, i) => (i * 31) & 0xff);
      expect(toBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    }
  });
});
