import { describe, expect, test } from 'vitest';
import { readAnyRule } from '../../shim/talk-back/intercept-rule';
import type { PanelEvents, PanelRule, WireHeld } from '../../shim/wire/messages';
import { NO_FILTER } from '../search/message-filter';
import {
  breakpointLabel,
  breakpointRules,
  heldCount,
  heldOn,
  isBreakpoint,
  notEditableReason,
  prefilledForm,
  withoutBreakpoints,
  type BreakpointForm,
} from './breakpoint-form';

const URL = 'ws://127.0.0.1:8080/echo';
const form = (fields: Partial<BreakpointForm>): BreakpointForm => ({ scope: 'url', direction: 'send', pattern: '', regex: false, flags: '', ...fields });
const held = (fields: Partial<WireHeld>): WireHeld => ({ id: 1, ruleId: 1, socketId: 1, direction: 'send', type: 'text', size: 2, data: 'hi', truncated: false, ...fields });
const list = (instance: string, messages: WireHeld[], more = 0): PanelEvents['held'] => ({ instance, frameId: 0, messages, more });

describe('prefilledForm', () => {
  test('takes the filter text as a substring, and its direction when only one is shown', () => {
    expect(prefilledForm({ ...NO_FILTER, query: 'order', receive: false })).toEqual(form({ pattern: 'order', direction: 'send' }));
    expect(prefilledForm({ ...NO_FILTER, send: false })).toEqual(form({ direction: 'receive' }));
    expect(prefilledForm(NO_FILTER)).toEqual(form({ direction: 'both' }));
  });

  test('takes a /regex/flags filter as a regular expression', () => {
    expect(prefilledForm({ ...NO_FILTER, query: '/"type":\\s*"buy"/i' })).toEqual(form({ direction: 'both', pattern: '"type":\\s*"buy"', regex: true, flags: 'i' }));
  });
});

describe('breakpointRules', () => {
  test("a breakpoint for the socket's URL on sends containing a text: one rule the shim reads as a pause", () => {
    const rules = breakpointRules(form({ pattern: 'buy' }), URL) as PanelRule[];
    expect(rules).toEqual([{ rule: { match: { kind: 'url', value: URL }, direction: 'send', data: 'buy', action: 'pause' }, instance: null, label: `↑ Sends on ${URL} containing “buy”` }]);
    expect(readAnyRule(rules[0].rule)).toEqual({ match: { kind: 'url', value: URL }, direction: 'send', data: { kind: 'text', value: 'buy' }, type: null, action: 'pause' });
  });

  test('both directions are two rules; every socket and any message are read by the shim too', () => {
    const rules = breakpointRules(form({ scope: 'all', direction: 'both' }), null) as PanelRule[];
    expect(rules.map((r) => r.label)).toEqual(['↑ Sends on every socket', '↓ Receives on every socket']);
    expect(rules.map((r) => (readAnyRule(r.rule) as { direction: string }).direction)).toEqual(['send', 'receive']);
  });

  test('a regular expression keeps its flags', () => {
    const [rule] = breakpointRules(form({ direction: 'receive', pattern: 'a+b', regex: true, flags: 'i' }), URL) as PanelRule[];
    expect(rule.rule).toMatchObject({ data: { kind: 'regex', source: 'a+b', flags: 'i' } });
    expect(rule.label).toBe(`↓ Receives on ${URL} matching /a+b/i`);
  });

  test("refuses what the shim would, with the shim's reason", () => {
    const shimReason = (data: unknown) => {
      try {
        readAnyRule({ match: URL, direction: 'send', data, action: 'pause' });
        return null;
      } catch (error) {
        return (error as Error).message;
      }
    };
    const bad: [Partial<BreakpointForm>, unknown, RegExp][] = [
      [{ pattern: '(', regex: true }, { kind: 'regex', source: '(', flags: '' }, /^data: the regular expression does not compile: /],
      [{ pattern: 'a', regex: true, flags: 'g' }, { kind: 'regex', source: 'a', flags: 'g' }, /flags "g"/],
      [{ pattern: 'x'.repeat(5000) }, 'x'.repeat(5000), /^data must be a string of 1 to 4096 characters$/],
    ];
    for (const [fields, data, reason] of bad) {
      const refused = breakpointRules(form(fields), URL) as { error: string };
      expect(refused.error).toMatch(reason);
      expect(refused.error).toBe(shimReason(data));
    }
    expect(breakpointRules(form({ scope: 'all', pattern: 'x'.repeat(4096) }), null)).toHaveLength(1);
    expect(breakpointRules(form({}), null)).toEqual({ error: 'Select a socket first, or choose every socket' });
  });
});

test('breakpointLabel cuts a long URL to one bounded line', () => {
  const label = breakpointLabel('send', `ws://x/${'a'.repeat(500)}\n`, undefined);
  expect(label.length).toBeLessThanOrEqual(181);
  expect(label).not.toContain('\n');
});

test('isBreakpoint tells breakpoints from shaping and other intercept rules; withoutBreakpoints keeps the rest', () => {
  const pause: PanelRule = { rule: { match: 'x', direction: 'send', action: 'pause' }, instance: null, label: 'b' };
  const drop: PanelRule = { rule: { match: 'x', direction: 'send', action: 'drop' }, instance: null, label: 'd' };
  const shaping: PanelRule = { rule: { match: 'x', up: null, down: null, consumer: null, offline: 'stall' }, instance: null, label: 's' };
  expect([pause, drop, shaping].map(isBreakpoint)).toEqual([true, false, false]);
  expect(withoutBreakpoints([shaping, pause, drop])).toEqual([shaping, drop]);
});

test('heldOn lists one socket of one document; heldCount counts live documents only, with what their lists left off', () => {
  const lists = { a: list('a', [held({ id: 1, socketId: 1 }), held({ id: 2, socketId: 2 }), held({ id: 3, socketId: 1 })], 5), gone: list('gone', [held({})]) };
  expect(heldOn(lists, 'a', 1).map((h) => h.id)).toEqual([1, 3]);
  expect(heldOn(lists, 'b', 1)).toEqual([]);
  expect(heldCount(lists, new Set(['a']))).toBe(8);
});

test('notEditableReason: a cut message or an unread Blob can only go as it is', () => {
  expect(notEditableReason(held({}))).toBeNull();
  expect(notEditableReason(held({ truncated: true }))).toMatch(/can be forwarded or dropped as it is, not edited$/);
  expect(notEditableReason(held({ type: 'binary', data: '', size: 10 }))).toMatch(/Blob/);
  expect(notEditableReason(held({ type: 'binary', data: '', size: 0 }))).toBeNull();
});
