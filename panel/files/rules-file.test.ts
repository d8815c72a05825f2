import { describe, expect, test } from 'vitest';
import type { PanelRule } from '../../shim/wire/messages';
import { MAX_RULES } from '../../shim/wire/readers';
import { documentOnlyCount, readRulesFile, rulesFileText } from './rules-file';

const RULES: PanelRule[] = [
  { rule: { match: { kind: 'regex', source: '^', flags: '' }, up: null, down: null, consumer: null, offline: 'stall' }, instance: null, label: 'Stalled' },
  { rule: { match: { kind: 'url', value: '/feed' }, direction: 'send', data: { kind: 'regex', source: '"sub"', flags: 'i' }, action: { reply: { base64: 'AP8=' } } }, instance: null, label: 'x' },
  { rule: { match: { kind: 'socket', id: 4 }, direction: 'receive', action: { replace: ['a', 'b'] } }, instance: 'doc-1', label: 'Socket wss://x' },
];

const refusal = (text: string) => {
  try {
    readRulesFile(text);
  } catch (error) {
    return (error as Error).message;
  }
  return null;
};

describe('rules files', () => {
  test('a file holds the rules as the shim reads them, and reads back as the same rules for every document', () => {
    const text = rulesFileText(RULES);
    expect(JSON.parse(text)).toEqual(RULES.map(({ rule }) => rule));
    const read = readRulesFile(text);
    expect(read.map(({ rule }) => rule)).toEqual(RULES.map(({ rule }) => rule));
    expect(read.map(({ instance }) => instance)).toEqual([null, null, null]);
    expect(read.map(({ label }) => label)).toEqual(['Every socket', 'URL contains “/feed”', 'Socket #4 of any document']);
    expect(rulesFileText(read)).toBe(text);
  });

  test('counts the rules a reload would end', () => {
    expect(documentOnlyCount(RULES)).toBe(1);
  });

  test('takes the forms a test writes: a URL substring, a socket id, text data', () => {
    expect(readRulesFile('[{"match":"/chat","down":{"latencyMs":200}},{"match":2,"direction":"send","data":"x","action":"drop"}]').map(({ rule }) => rule)).toEqual([
      { match: { kind: 'url', value: '/chat' }, up: null, down: { latencyMs: 200, jitterMs: 0, bytesPerSecond: 0, messagesPerSecond: 0 }, consumer: null, offline: null },
      { match: { kind: 'socket', id: 2 }, direction: 'send', data: 'x', action: 'drop' },
    ]);
  });

  test('a bad file is refused whole, naming the rule and the field', () => {
    expect(refusal('{')).toMatch(/^not JSON: /);
    expect(refusal('{"match":"/x"}')).toBe('a rules file is a JSON array of rules');
    expect(refusal(JSON.stringify(Array.from({ length: MAX_RULES + 1 }, () => ({ match: '/x' }))))).toBe(`${MAX_RULES + 1} rules: a tab has at most ${MAX_RULES}`);
    expect(refusal('[{"match":"/x"},{"match":"/y","up":{"latencyMs":-1}}]')).toBe('rule 1: up.latencyMs must not be negative (-1)');
    expect(refusal('[{"match":"/x","direction":"receive","action":{"reply":"hi"}}]')).toBe('rule 0: a reply answers a send: direction must be "send"');
    expect(refusal('[{"match":"/x","direction":"send","data":{"kind":"regex","source":"[","flags":""},"action":"drop"}]')).toMatch(
      /^rule 0: data: the regular expression does not compile: /,
    );
  });
});
