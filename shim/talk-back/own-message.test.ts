import { describe, expect, it } from 'vitest';
import { OWN_MESSAGE_BYTES } from '../wire/messages';
import { readOwnMessage } from './own-message';

describe('readOwnMessage', () => {
  it('keeps text, as a USVString', () => {
    expect(readOwnMessage('hi', 'send')).toBe('hi');
    expect(readOwnMessage('a\uD800b', 'send')).toBe('a\uFFFDb');
  });

  it('copies the bytes of a buffer or of exactly the view, into a buffer of its own', () => {
    const buffer = new Uint8Array([1, 2, 3, 4]).buffer;
    const copy = readOwnMessage(buffer, 'send') as ArrayBuffer;
    new Uint8Array(buffer)[0] = 9;
    expect([...new Uint8Array(copy)]).toEqual([1, 2, 3, 4]);
    expect([...new Uint8Array(readOwnMessage(new DataView(buffer, 1, 2), 'send') as ArrayBuffer)]).toEqual([2, 3]);
    expect([...new Uint8Array(readOwnMessage(new Uint16Array([0x0201]), 'send') as ArrayBuffer)]).toEqual([1, 2]);
  });

  it('refuses anything else, and what is over the bound, naming the call', () => {
    expect(() => readOwnMessage({ text: 'x' }, 'inject')).toThrow(new TypeError('inject: a message is a string, an ArrayBuffer or an ArrayBufferView'));
    expect(() => readOwnMessage(undefined, 'send')).toThrow(TypeError);
    expect(() => readOwnMessage(new Uint8Array(OWN_MESSAGE_BYTES + 1), 'send')).toThrow(RangeError);
    // Measured as UTF-8: 3 bytes each.
    expect(() => readOwnMessage('€'.repeat(OWN_MESSAGE_BYTES / 3 + 1), 'send')).toThrow(/over the limit/);
  });
});
