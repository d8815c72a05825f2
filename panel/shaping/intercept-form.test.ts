import { describe, expect, test } from 'vitest';
import { OWN_MESSAGE_BYTES } from '../../shim/wire/messages';
import { describeIntercept, emptyInterceptForm, readInterceptForm, type InterceptForm } from './intercept-form';
import { readPanelIntercept, readPanelRule } from './intercept-rule-check';
import { EVERY_SOCKET } from './rule-scope';

const form = (change: Partial<InterceptForm>): InterceptForm => ({ ...emptyInterceptForm(change.kind ?? 'drop'), ...change });
const message = (read: () => unknown) => {
  try {
    read();
  } catch (error) {
    return (error as Error).message;
  }
  return null;
};

describe('the intercept form', () => {
  test('reads a drop, a rewrite and a reply into the rule the shim takes', () => {
    expect(readInterceptForm(form({ kind: 'drop', dataKind: 'text', data: 'ping' }), EVERY_SOCKET)).toEqual({ match: EVERY_SOCKET, direction: 'send', data: 'ping', action: 'drop' });
    const rewrite = form({ kind: 'rewrite', direction: 'receive', findKind: 'regex', find: '(\\d+)', findFlags: 'g', replacement: '<$1>' });
    expect(readInterceptForm(rewrite, EVERY_SOCKET)).toEqual({
      match: EVERY_SOCKET,
      direction: 'receive',
      action: { replace: [{ kind: 'regex', source: '(\\d+)', flags: 'g' }, '<$1>'] },
    });
    expect(readInterceptForm(form({ kind: 'reply', reply: '00 ff', replyFormat: 'hex' }), { kind: 'url', value: '/feed' })).toEqual({
      match: { kind: 'url', value: '/feed' },
      direction: 'send',
      action: { reply: { base64: 'AP8=' } },
    });
  });

  test('refuses what the shim would refuse, naming the field', () => {
    expect(message(() => readInterceptForm(form({ dataKind: 'regex', data: '(' }), EVERY_SOCKET))).toMatch(/^data: the regular expression does not compile: /);
    expect(message(() => readInterceptForm(form({ kind: 'reply', direction: 'receive', reply: 'x' }), EVERY_SOCKET))).toBe('a reply answers a send: direction must be "send"');
    expect(message(() => readInterceptForm(form({ kind: 'reply', reply: '{', replyFormat: 'json' }), EVERY_SOCKET))).toMatch(/^action\.reply: Not JSON: /);
    expect(message(() => readInterceptForm(form({ kind: 'rewrite', find: '' }), EVERY_SOCKET))).toBe('action.replace pattern must be a string of 1 to 4096 characters');
    expect(message(() => readInterceptForm(form({ dataKind: 'regex', data: 'a', dataFlags: 'g' }), EVERY_SOCKET))).toBe('data: flags "g": only d, i, m, s, u and v apply here');
    expect(message(() => readInterceptForm(form({}), { kind: 'url', value: '' }))).toBe('match.value must be a non-empty string');
  });

  test('a reply over the limit is refused', () => {
    expect(message(() => readPanelIntercept({ match: EVERY_SOCKET, direction: 'send', action: { reply: 'x'.repeat(OWN_MESSAGE_BYTES + 1) } }))).toBe(
      `action.reply: the message is ${OWN_MESSAGE_BYTES + 1} bytes, over the limit of ${OWN_MESSAGE_BYTES}`,
    );
    expect(message(() => readPanelIntercept({ match: EVERY_SOCKET, direction: 'send', action: { reply: { base64: '%%' } } }))).toBe('action.reply must be text, bytes or { base64 } of at most 16 MiB');
  });

  test('one list holds both kinds: a rule with an action is an intercept rule', () => {
    expect(readPanelRule({ match: '/chat', offline: 'stall' })).toEqual({ match: { kind: 'url', value: '/chat' }, up: null, down: null, consumer: null, offline: 'stall' });
    expect(readPanelRule({ match: 3, direction: 'receive', type: 'binary', action: 'pause' })).toEqual({ match: { kind: 'socket', id: 3 }, direction: 'receive', type: 'binary', action: 'pause' });
    expect(message(() => readPanelRule({ match: 3, direction: 'send', action: 'pause', extra: 1 }))).toBe('unknown field "extra" (known: match, direction, data, type, action)');
  });

  test('says what a rule does', () => {
    expect(describeIntercept({ match: EVERY_SOCKET, direction: 'send', data: 'sub', action: { reply: 'ok' } })).toBe('↑ sends containing “sub”: answered with “ok”, not sent');
    expect(describeIntercept({ match: EVERY_SOCKET, direction: 'receive', action: { replace: [{ kind: 'regex', source: 'a+', flags: 'g' }, 'b'] } })).toBe(
      '↓ receives: /a+/g replaced with “b”',
    );
    expect(describeIntercept({ match: EVERY_SOCKET, direction: 'send', data: { kind: 'regex', source: 'x', flags: '' }, action: 'drop' })).toBe('↑ sends matching /x/: dropped');
    expect(describeIntercept({ match: EVERY_SOCKET, direction: 'receive', type: 'binary', action: 'pause' })).toBe('↓ receives (binary): held at a breakpoint');
  });
});
