import { describe, expect, test } from 'vitest';
import { wireMessageOf, type MessageRecord, type WireMessage } from '../../shim/wire/records';
import { MessageLog } from './message-log';

const message = (seq: number, data = `m${seq}`, fields: Partial<MessageRecord> = {}): WireMessage =>
  wireMessageOf({
  seq,
  socketId: 1,
  direction: seq % 2 ? 'send' : 'receive',
  type: 'text',
  size: data.length,
  data,
  truncated: false,
  time: 1000 + seq,
    ...fields,
  });

describe('MessageLog', () => {
  test('gives messages back by index, with their columns', () => {
    const log = new MessageLog({ messages: 10, payloadBytes: 1000, previewChars: 4 });
    expect(log.push(message(1), 7)).toBe(0);
    expect(log.push(message(2, 'abcdefgh', { type: 'binary', truncated: true }), 8)).toBe(1);
    expect(log.get(0)).toEqual({ index: 0, socket: 7, seq: 1, direction: 'send', type: 'text', size: 2, data: 'm1', truncated: false, time: 1001, previewOnly: false });
    expect(log.get(1)).toMatchObject({ socket: 8, direction: 'receive', type: 'binary', data: 'abcdefgh', truncated: true, previewOnly: false });
    expect([log.preview[1], log.socketOf(1)]).toEqual(['abcd', 8]);
  });

  test("keeps each message's mark, and none on the others", () => {
    const log = new MessageLog({ messages: 10, payloadBytes: 1000, previewChars: 4 });
    log.push(message(1, 'a', { mark: 'sent' }), 1);
    log.push(message(2, 'abcdefgh', { mark: 'injected', type: 'binary', truncated: true }), 1);
    log.push(message(3), 1);
    expect([0, 1, 2].map((index) => log.get(index).mark)).toEqual(['sent', 'injected', undefined]);
    expect(log.get(1)).toMatchObject({ direction: 'receive', type: 'binary', truncated: true });
    expect('mark' in log.get(2)).toBe(false);
  });

  test('evicts the oldest messages past its limit; indices keep naming the same messages', () => {
    const log = new MessageLog({ messages: 3, payloadBytes: 1000, previewChars: 10 });
    for (let seq = 1; seq <= 5; seq++) log.push(message(seq), 1);
    expect([log.first, log.next, log.length, log.evictedMessages]).toEqual([2, 5, 3, 2]);
    expect(log.get(4).seq).toBe(5);
    expect(log.has(1)).toBe(false);
    expect(() => log.get(1)).toThrow('message 1 is not held');
    expect([2, 3, 4].filter((index) => ['m3', 'm5'].includes(log.preview[log.slotOf(index)]))).toEqual([2, 4]);
  });

  test('keeps full payloads within the byte budget, oldest dropped first, previews kept', () => {
    // Each payload: 10 characters, 20 bytes. The budget holds two.
    const log = new MessageLog({ messages: 10, payloadBytes: 40, previewChars: 3 });
    for (let seq = 1; seq <= 3; seq++) log.push(message(seq, `${seq}`.repeat(10)), 1);
    expect(log.payloadBytes).toBe(40);
    expect(log.previewOnly).toBe(1);
    expect(log.get(0)).toMatchObject({ data: '111', truncated: true, previewOnly: true });
    expect(log.get(2)).toMatchObject({ data: '3'.repeat(10), truncated: false, previewOnly: false });
  });

  test('a payload larger than the whole budget keeps only its preview', () => {
    const log = new MessageLog({ messages: 10, payloadBytes: 8, previewChars: 2 });
    log.push(message(1, 'x'.repeat(100)), 1);
    expect(log.get(0)).toMatchObject({ data: 'xx', previewOnly: true });
    expect([log.payloadBytes, log.previewOnly]).toEqual([0, 1]);
  });

  test('counts the messages left with a preview only, until they go too', () => {
    const log = new MessageLog({ messages: 2, payloadBytes: 20, previewChars: 1 });
    log.push(message(1, 'a'.repeat(10)), 1);
    log.push(message(2, 'b'.repeat(10)), 1); // over budget: message 1 keeps its preview only
    expect(log.previewOnly).toBe(1);
    log.push(message(3, 'c'), 1); // evicts message 1
    expect(log.previewOnly).toBe(0);
  });

  test('clear forgets everything; indices go on', () => {
    const log = new MessageLog({ messages: 4, payloadBytes: 100, previewChars: 2 });
    log.push(message(1, 'long payload'), 1);
    log.clear();
    expect([log.length, log.payloadBytes, log.first]).toEqual([0, 0, 1]);
    expect(log.push(message(2), 1)).toBe(1);
  });

  test('holds a million messages by default', () => {
    const log = new MessageLog();
    const one = message(1);
    for (let i = 0; i <= 1_000_000; i++) log.push(one, i % 50);
    expect([log.length, log.first, log.evictedMessages]).toEqual([1_000_000, 1, 1]);
    expect(log.socketOf(1_000_000)).toBe(0);
  });
});
