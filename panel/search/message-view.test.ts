import { describe, expect, test } from 'vitest';
import { compileFilter, NO_FILTER, SHOWN, type CompiledFilter } from './message-filter';
import { wireMessageOf } from '../../shim/wire/records';
import { MessageLog } from '../model/message-log';
import { MessageView } from './message-view';

const every = (count = () => {}): CompiledFilter => ({ test: () => (count(), SHOWN), deep: () => true });

function logOfSockets(sockets: number[]): MessageLog {
  const log = new MessageLog({ messages: 100, payloadBytes: 1000, previewChars: 50 });
  sockets.forEach((socket, seq) => log.push(wireMessageOf({ seq, socketId: socket, direction: 'send', type: 'text', size: 1, data: `s${socket}-${seq}`, truncated: false, time: seq }), socket));
  return log;
}

const dataOf = (view: MessageView) => Array.from({ length: view.length }, (_, i) => view.at(i)?.data);

describe('MessageView', () => {
  test("one socket's messages, or every socket's", () => {
    const log = logOfSockets([0, 1, 0, 2]);
    expect(dataOf(new MessageView(log, 0, every()))).toEqual(['s0-0', 's0-2']);
    expect(dataOf(new MessageView(log, null, every()))).toEqual(['s0-0', 's1-1', 's0-2', 's2-3']);
  });

  test('tests only what arrived since, and forgets what the log let go', () => {
    const log = new MessageLog({ messages: 3, payloadBytes: 1000, previewChars: 50 });
    const push = (seq: number, socket: number) => log.push(wireMessageOf({ seq, socketId: socket, direction: 'send', type: 'text', size: 1, data: `s${socket}-${seq}`, truncated: false, time: seq }), socket);
    push(0, 0);
    push(1, 1);
    let tested = 0;
    const view = new MessageView(log, null, every(() => tested++));
    expect(tested).toBe(2);
    push(2, 0);
    push(3, 1);
    view.refresh();
    expect(tested).toBe(4);
    expect(dataOf(view)).toEqual(['s1-1', 's0-2', 's1-3']);
    expect(view.positionOf(log.next - 1)).toBe(2);
  });

  test('keeps every match as it outgrows the room it was made with, and as the log lets the oldest go', () => {
    const log = new MessageLog({ messages: 6000, payloadBytes: 1000, previewChars: 50 });
    const push = (seq: number) => log.push(wireMessageOf({ seq, socketId: 1, direction: 'send', type: 'text', size: 1, data: `f${seq}`, truncated: false, time: seq }), 0);
    const seqs = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `f${from + i}`);
    const view = new MessageView(log, 0, every());
    for (let seq = 0; seq < 5000; seq++) push(seq);
    view.refresh();
    expect(dataOf(view)).toEqual(seqs(0, 5000));
    for (let seq = 5000; seq < 20_000; seq++) {
      push(seq);
      if (seq % 1000 === 0) {
        view.refresh();
        expect(dataOf(view)).toEqual(seqs(Math.max(0, seq + 1 - 6000), seq + 1));
      }
    }
    view.refresh();
    expect(dataOf(view)).toEqual(seqs(14_000, 20_000));
    expect(view.positionOf(log.next - 1)).toBe(5999);
  });

  test('long messages the previews cannot settle are searched in full on settle, and join the matches in order', () => {
    const log = new MessageLog({ messages: 100, payloadBytes: 100_000, previewChars: 10 });
    const messages = ['needle', `${'.'.repeat(20)}needle`, 'hay', `${'.'.repeat(20)}hay`, 'needle again'];
    messages.forEach((data, seq) => log.push(wireMessageOf({ seq, socketId: 1, direction: 'send', type: 'text', size: data.length, data, truncated: false, time: seq }), 0));
    const view = new MessageView(log, 0, compileFilter({ ...NO_FILTER, query: 'needle' }, log));
    expect([dataOf(view), view.unsettledCount]).toEqual([['needle', 'needle again'], 2]);
    expect(view.settle(0)).toBe(true);
    expect(view.unsettledCount).toBe(2);
    expect(view.settle(Number.POSITIVE_INFINITY)).toBe(false);
    expect([dataOf(view), view.unsettledCount]).toEqual([['needle', `${'.'.repeat(20)}needle`, 'needle again'], 0]);
    expect(view.positionOf(4)).toBe(2);
  });
});
