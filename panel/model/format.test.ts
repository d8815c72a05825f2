import { describe, expect, test } from 'vitest';
import type { MessageRecord, SocketInfo } from '../../shim/wire/records';
import { closeDetail, countOf, formatBytes, formatTime, messagePreview, hexPreview, oneLine, PREVIEW_CHARS } from './format';

const message = (fields: Partial<MessageRecord>): MessageRecord => ({
  seq: 1,
  socketId: 1,
  direction: 'send',
  type: 'text',
  size: 0,
  data: '',
  truncated: false,
  time: 0,
  ...fields,
});

const base64 = (bytes: number[]): string => btoa(String.fromCharCode(...bytes));

describe('format', () => {
  test('formatBytes uses binary units with one decimal below 10', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1229)).toBe('1.2 KiB');
    expect(formatBytes(20 * 1024)).toBe('20 KiB');
    expect(formatBytes(3.5 * 1024 * 1024)).toBe('3.5 MiB');
    expect(formatBytes(2 * 1024 ** 3)).toBe('2.0 GiB');
  });

  test('countOf pluralizes', () => {
    expect(countOf(1, 'socket')).toBe('1 socket');
    expect(countOf(0, 'message')).toBe('0 messages');
  });

  test('formatTime is local HH:MM:SS.mmm', () => {
    expect(formatTime(new Date(2024, 0, 2, 3, 4, 5, 6).getTime())).toBe('03:04:05.006');
    expect(formatTime(new Date(2024, 0, 2, 23, 59, 59, 999).getTime())).toBe('23:59:59.999');
  });

  test('oneLine flattens controls and bidi overrides, caps the length and marks the cut', () => {
    expect(oneLine('a\r\n\tb\u202ec', 10)).toBe('a b c');
    expect(oneLine('abcdef', 3)).toBe('abc…');
    expect(oneLine('abc', 3, true)).toBe('abc…');
    expect(oneLine('ab😀', 3)).toBe('ab…');
  });

  test('text previews are capped', () => {
    const long = 'x'.repeat(1000);
    expect(messagePreview(message({ data: long, size: 1000 }))).toEqual({ text: `${'x'.repeat(PREVIEW_CHARS)}…`, kind: 'text' });
    expect(messagePreview(message({ data: 'hi', size: 2 })).text).toBe('hi');
    expect(messagePreview(message({ data: 'hi', size: 5, truncated: true })).text).toBe('hi…');
    expect(messagePreview(message({ size: 0 }))).toEqual({ text: 'empty', kind: 'note' });
  });

  test('binary previews show the first 32 bytes as hex', () => {
    expect(hexPreview(base64([0, 1, 0xab, 0xff]), 4)).toBe('00 01 ab ff');
    const bytes = Array.from({ length: 40 }, (_, i) => i);
    expect(hexPreview(base64(bytes), 40)).toBe(`${bytes.slice(0, 32).map((b) => b.toString(16).padStart(2, '0')).join(' ')} …`);
    expect(hexPreview(base64([1, 2]), 100)).toBe('01 02 …');
    expect(messagePreview(message({ type: 'binary', data: base64([1, 2]), size: 2 }))).toEqual({ text: '01 02', kind: 'hex' });
    expect(messagePreview(message({ type: 'binary', data: '%%%', size: 3 })).kind).toBe('note');
  });

  test('closeDetail shows code and reason once closed', () => {
    const info = { readyState: 3, closeCode: 1000, closeReason: 'bye\nnow' } as SocketInfo;
    expect(closeDetail(info)).toBe('1000 "bye now"');
    expect(closeDetail({ ...info, closeReason: '' })).toBe('1000');
    expect(closeDetail({ ...info, readyState: 1 })).toBe('');
  });
});
