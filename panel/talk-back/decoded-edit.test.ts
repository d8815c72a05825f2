import { encode as encodeMessagePack } from '@msgpack/msgpack';
import { encode as encodeCbor } from 'cborg';
import { describe, expect, test } from 'vitest';
import type { LoggedMessage } from '../model/message-log';
import { editableForm, formatsFor, readComposed, toBase64 } from './composed-message';
import { codecOf, decodedJson, encodeDecoded } from './decoded-edit';

const VALUE = { type: 'subscribe', topics: ['a', 'b'], depth: 10, price: 1.5, nested: { ok: true, none: null }, text: 'héllo' };
const ENCODERS = { msgpack: (value: unknown) => encodeMessagePack(value), cbor: (value: unknown) => encodeCbor(value) } as const;

const binary = (bytes: Uint8Array): LoggedMessage => ({
  index: 0, socket: 0, seq: 1, direction: 'receive', type: 'binary', size: bytes.length, data: toBase64(bytes), truncated: false, time: 0, previewOnly: false,
});

describe.each(['msgpack', 'cbor'] as const)('editing %s decoded', (codec) => {
  const bytes = ENCODERS[codec](VALUE);

  test('a message decodes to JSON and encodes back to the same bytes', () => {
    const json = decodedJson(codec, bytes);
    expect(JSON.parse(json!)).toEqual(VALUE);
    expect(encodeDecoded(codec, json!)).toEqual(bytes);
  });

  test('Edit and resend offers it decoded, and the composer sends it encoded', () => {
    const form = editableForm(binary(bytes), codec);
    expect(form.format).toBe(codec);
    const edited = form.text.replace('"subscribe"', '"unsubscribe"');
    const composed = readComposed(edited, codec);
    expect(composed).toEqual({ data: { base64: toBase64(ENCODERS[codec]({ ...VALUE, type: 'unsubscribe' })) }, size: expect.any(Number) });
  });

  test('what JSON cannot hold, or what does not decode, stays hex', () => {
    expect(decodedJson(codec, ENCODERS[codec]({ raw: new Uint8Array([1, 2]) }))).toBeNull();
    expect(decodedJson(codec, new Uint8Array([0xc1]))).toBeNull();
    expect(editableForm(binary(new Uint8Array([0xc1])), codec)).toEqual({ text: 'c1', format: 'hex' });
    expect(readComposed('{', codec)).toMatchObject({ error: expect.stringMatching(/^Not JSON: /) });
  });
});

describe('which sockets have a codec', () => {
  test('by subprotocol', () => {
    expect(codecOf({ url: 'wss://x/', protocol: 'msgpack', protocols: ['msgpack'] })).toBe('msgpack');
    expect(codecOf({ url: 'wss://x/', protocol: '', protocols: ['v1.cbor'] })).toBe('cbor');
    expect(codecOf({ url: 'wss://x/', protocol: 'graphql-transport-ws', protocols: [] })).toBeNull();
  });

  test('the composer offers the raw formats always, and the codec where there is one', () => {
    expect(formatsFor(null, 'text')).toEqual(['text', 'json', 'hex', 'base64']);
    expect(formatsFor('cbor', 'hex')).toEqual(['text', 'json', 'hex', 'base64', 'cbor']);
    expect(formatsFor(null, 'msgpack')).toEqual(['text', 'json', 'hex', 'base64', 'msgpack']);
  });
});
