import { describe, expect, test } from 'vitest';
import { wireMessageOf, type MessageRecord } from '../../shim/wire/records';
import { compileFilter, FilterError, HIDDEN, matchRanges, NO_FILTER, readQuery, searchRange, SHOWN, UNSETTLED, type MessageFilter } from './message-filter';
import { MessageLog } from '../model/message-log';

function logOf(messages: [MessageRecord['direction'], MessageRecord['type'], string][]): MessageLog {
  const log = new MessageLog({ messages: 100, payloadBytes: 1000, previewChars: 50 });
  messages.forEach(([direction, type, data], seq) => log.push(wireMessageOf({ seq, socketId: 1, direction, type, size: data.length, data, truncated: false, time: seq }), 0));
  return log;
}

const shown = (log: MessageLog, filter: Partial<MessageFilter>) => {
  const { shown: found } = searchRange(log, compileFilter({ ...NO_FILTER, ...filter }, log).test, null, log.first, log.next);
  return Array.from({ length: found.size }, (_, position) => found.select(position));
};

describe('message filter', () => {
  const log = logOf([
    ['send', 'text', 'Hello World'],
    ['receive', 'text', '2'],
    ['receive', 'text', '{"type":"ping"}'],
    ['receive', 'binary', 'AAEC'],
    ['send', 'text', 'hello again'],
    ['receive', 'text', ''],
  ]);

  test('shows everything by default', () => {
    expect(shown(log, {})).toEqual([0, 1, 2, 3, 4, 5]);
  });

  test('by direction and type', () => {
    expect(shown(log, { receive: false })).toEqual([0, 4]);
    expect(shown(log, { text: false })).toEqual([3]);
    expect(shown(log, { send: false, binary: false })).toEqual([1, 2, 5]);
  });

  test('hides heartbeats, and the user\'s own control patterns', () => {
    expect(shown(log, { hideControl: true })).toEqual([0, 3, 4]);
    expect(shown(log, { hideControl: true, controlPatterns: ['^hello again$'] })).toEqual([0, 3]);
  });

  test('free text ignores case; /regex/ takes flags', () => {
    expect(shown(log, { query: 'HELLO' })).toEqual([0, 4]);
    expect(shown(log, { query: '/^hello/' })).toEqual([4]);
    expect(shown(log, { query: '/^hello/i' })).toEqual([0, 4]);
  });

  test('a bad query is refused with its reason', () => {
    expect(() => readQuery('/(/')).toThrow(FilterError);
    expect(() => readQuery('/(/')).toThrow(/^\/\(\/: /);
    expect(() => readQuery('/a/g')).toThrow('only the flags i, m, s, u and v');
    expect(() => readQuery('x'.repeat(1001))).toThrow('longer than 1000');
    expect(() => compileFilter({ ...NO_FILTER, hideControl: true, controlPatterns: ['['] }, log)).toThrow(FilterError);
    expect(() => compileFilter({ ...NO_FILTER, hideControl: true, controlPatterns: ['x'.repeat(1001)] }, log)).toThrow('a pattern is longer than 1000');
    expect(() => compileFilter({ ...NO_FILTER, controlPatterns: Array.from({ length: 51 }, () => 'x') }, log)).toThrow('more than 50 heartbeat patterns');
  });

  test('match ranges for highlighting', () => {
    expect(matchRanges(readQuery('lo'), 'Hello lo')).toEqual([
      [3, 5],
      [6, 8],
    ]);
    expect(matchRanges(readQuery('/l+/'), 'Hello')).toEqual([[2, 4]]);
    expect(matchRanges(readQuery('/x*/'), 'abc')).toEqual([]);
    expect(matchRanges(readQuery(''), 'abc')).toEqual([]);
  });

  test('a long message: its preview settles what it can, its full payload the rest', () => {
    const log = new MessageLog({ messages: 10, payloadBytes: 1000, previewChars: 10 });
    const push = (data: string) => log.push(wireMessageOf({ seq: 0, socketId: 1, direction: 'receive', type: 'text', size: data.length, data, truncated: false, time: 0 }), 0);
    const verdict = (query: string, index: number) => compileFilter({ ...NO_FILTER, query }, log).test(index, log.slotOf(index));
    const early = push('needle in the first ten'.padEnd(100, '.'));
    const late = push(`${'.'.repeat(50)}needle${'.'.repeat(50)}`);
    const short = push('no match');
    expect([verdict('NEEDLE', early), verdict('NEEDLE', late), verdict('NEEDLE', short)]).toEqual([SHOWN, UNSETTLED, HIDDEN]);
    const text = compileFilter({ ...NO_FILTER, query: 'NEEDLE' }, log);
    expect(text.deep(log.get(late).data)).toBe(true);
    // A regular expression may read past the preview: only the full payload decides.
    const regex = compileFilter({ ...NO_FILTER, query: '/^needle in the first ten$/' }, log);
    expect([verdict('/^needle in the first ten$/', early), regex.deep(log.get(early).data)]).toEqual([UNSETTLED, false]);
    // Past the payload budget the preview is all there is, and it decides.
    for (let i = 0; i < 10; i++) push('x'.repeat(100));
    expect(log.get(log.first).previewOnly).toBe(true);
    expect([verdict('zzz', log.first), verdict('/^x+$/', log.first)]).toEqual([HIDDEN, SHOWN]);
    expect(verdict('/^x+$/', log.next - 1)).toBe(UNSETTLED);
  });
});
