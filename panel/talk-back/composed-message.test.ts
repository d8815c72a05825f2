import { describe, expect, test } from 'vitest';
import { OWN_MESSAGE_BYTES } from '../../shim/wire/messages';
import type { LoggedMessage } from '../model/message-log';
import { editableForm, prettyJson, readComposed } from './composed-message';
import { readCloseArguments } from './close-arguments';

const logged = (fields: Partial<LoggedMessage>): LoggedMessage => ({
  index: 0, socket: 0, seq: 1, direction: 'send', type: 'text', size: 0, data: '', truncated: false, time: 0, previewOnly: false, ...fields,
});

describe('readComposed', () => {
  test('sends text as typed, with its UTF-8 size', () => {
    expect(readComposed('héllo', 'text')).toEqual({ data: 'héllo', size: 6 });
  });

  test('sends JSON as typed when it parses, and says why when it does not', () => {
    expect(readComposed('{"a": 1}', 'json')).toEqual({ data: '{"a": 1}', size: 8 });
    expect(readComposed('{"a": }', 'json')).toMatchObject({ error: expect.stringMatching(/^Not JSON: /) });
  });

  test('reads hex in pairs, spaces, breaks and colons allowed', () => {
    expect(readComposed('00 01\nfF:10', 'hex')).toEqual({ data: { base64: 'AAH/EA==' }, size: 4 });
    expect(readComposed('', 'hex')).toEqual({ data: { base64: '' }, size: 0 });
    expect(readComposed('0g', 'hex')).toEqual({ error: 'Not hex: "g" at digit 2' });
    expect(readComposed('abc', 'hex')).toEqual({ error: 'Hex needs two digits a byte: 3 digits' });
  });

  test('reads base64 with or without padding, and refuses what is not', () => {
    expect(readComposed('AAH/EA==', 'base64')).toEqual({ data: { base64: 'AAH/EA==' }, size: 4 });
    expect(readComposed(' AAH/\nEA ', 'base64')).toEqual({ data: { base64: 'AAH/EA==' }, size: 4 });
    expect(readComposed('AA*A', 'base64')).toEqual({ error: 'Not base64: "*" at character 3' });
    expect(readComposed('A', 'base64')).toEqual({ error: 'Not base64: its length or padding is wrong' });
    expect(readComposed('AA=A', 'base64')).toEqual({ error: 'Not base64: its length or padding is wrong' });
  });

  test('refuses a message over the bound, in every format', () => {
    expect(readComposed('é'.repeat(OWN_MESSAGE_BYTES / 2 + 1), 'text')).toEqual({ error: `${OWN_MESSAGE_BYTES + 2} bytes is over the limit of ${OWN_MESSAGE_BYTES} bytes` });
    expect(readComposed('00'.repeat(OWN_MESSAGE_BYTES + 1), 'hex')).toMatchObject({ error: expect.stringContaining('over the limit') });
  });
});

describe('editing a logged message', () => {
  test('text stays text, JSON opens as JSON, binary as hex', () => {
    expect(editableForm(logged({ data: 'hi' }))).toEqual({ text: 'hi', format: 'text' });
    expect(editableForm(logged({ data: '{"a":1}' }))).toEqual({ text: '{"a":1}', format: 'json' });
    expect(editableForm(logged({ type: 'binary', data: 'AAH/EA==' }))).toEqual({ text: '00 01 ff 10', format: 'hex' });
  });

  test('pretty-prints JSON on demand', () => {
    expect(prettyJson('{"a":[1]}')).toBe('{\n  "a": [\n    1\n  ]\n}');
    expect(prettyJson('{')).toBeNull();
  });
});

describe('readCloseArguments', () => {
  test('takes 1000 or 3000–4999 and a reason of at most 123 UTF-8 bytes; no code is none', () => {
    expect(readCloseArguments('4001', 'bye')).toEqual({ code: 4001, reason: 'bye' });
    expect(readCloseArguments(' ', '')).toEqual({ code: null, reason: '' });
    expect(readCloseArguments('1000', 'é'.repeat(61) + 'x')).toEqual({ code: 1000, reason: 'é'.repeat(61) + 'x' });
  });

  test('refuses what the standard refuses, saying why', () => {
    for (const code of ['1001', '2999', '5000', '0']) {
      expect(readCloseArguments(code, '')).toEqual({ error: `The close code must be either 1000, or between 3000 and 4999. ${Number(code)} is neither.` });
    }
    expect(readCloseArguments('1e3', '')).toMatchObject({ error: expect.stringContaining('whole number') });
    expect(readCloseArguments('1000', 'é'.repeat(62))).toEqual({ error: 'The close reason must not be greater than 123 UTF-8 bytes (it is 124).' });
  });
});
