import { describe, expect, test } from 'vitest';
import { OWN_MESSAGE_BYTES, type PanelRule } from '../../shim/wire/messages';
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

// Tests may reach into the shim: the panel's check and the shim's reader must agree.
describe('the shim reads a rules file as the panel does', () => {
  test('every rule the panel writes reads in the shim', async () => {
    const { readAnyRule } = await import('../../shim/talk-back/intercept-rule');
    for (const rule of JSON.parse(rulesFileText(RULES)) as unknown[]) expect(() => readAnyRule(rule)).not.toThrow();
  });

  test('what the panel refuses, the shim refuses, with the same reason', async () => {
    const { readAnyRule } = await import('../../shim/talk-back/intercept-rule');
    const match = { kind: 'url', value: '/x' };
    const bad: unknown[] = [
      { match, direction: 'up', action: 'drop' },
      { match, direction: 'send', type: 'blob', action: 'drop' },
      { match, direction: 'send', type: 'binary', data: 'x', action: 'drop' },
      { match, direction: 'send', data: '', action: 'drop' },
      { match, direction: 'send', data: { kind: 'regex', source: '(', flags: '' }, action: 'drop' },
      { match, direction: 'send', data: { kind: 'regex', source: 'a', flags: 'g' }, action: 'drop' },
      { match, direction: 'send', action: 'hold' },
      { match, direction: 'send', action: { reply: 'x', replace: ['a', 'b'] } },
      { match, direction: 'receive', action: { reply: 'x' } },
      { match, direction: 'send', action: { replace: ['a'] } },
      { match, direction: 'send', action: { replace: ['a', 'b'.repeat(5_000)] } },
      { match: { kind: 'url', value: '' }, direction: 'send', action: 'drop' },
      { match, direction: 'send', action: 'drop', extra: true },
      { match, direction: 'send', action: { reply: 5 } },
      { match, direction: 'send', action: { reply: { base64: 5 } } },
      { match, direction: 'send', action: { reply: { base64: '!!' } } },
      { match, direction: 'send', action: { reply: 'x'.repeat(OWN_MESSAGE_BYTES + 1) } },
    ];
    const reason = (read: () => unknown) => {
      try {
        read();
        return null;
      } catch (error) {
        return (error as Error).message;
      }
    };
    for (const input of bad) expect(reason(() => readRulesFile(JSON.stringify([input])))).toBe(`rule 0: ${reason(() => readAnyRule(input))}`);
  });
});
