import { describe, expect, it } from 'vitest';
import { Breakpoints, Gate, gateRule, type Outcome } from './gate';
import { MATCHED_CHARS, readInterceptRule } from './intercept-rule';

function setup(...rules: unknown[]) {
  const breakpoints = new Breakpoints();
  const gate = new Gate(7, 'send', breakpoints);
  // Newest first, as the rule store hands them over.
  gate.setRules(rules.map((rule, i) => gateRule(i + 1, readInterceptRule({ match: '/', direction: 'send', ...(rule as object) }))).reverse());
  const left: [unknown, Outcome][] = [];
  /** Enters one message; `true` if it went on untouched at once. */
  const send = (data: unknown, exempt = false) =>
    gate.enter({ data, size: typeof data === 'string' ? data.length : 1, exempt, leave: (outcome) => left.push([data, outcome]) });
  return { gate, breakpoints, left, send };
}

describe('the intercept gate', () => {
  it('lets everything by untouched with no rule, and what no rule matches', () => {
    const { gate, send, left } = setup({ data: 'secret', action: 'drop' });
    expect(setup().send('x')).toBe(true);
    expect(send('nothing to see')).toBe(true);
    expect(send(new Uint8Array([1]))).toBe(true);
    expect(left).toEqual([]);
    expect(gate.heldCount).toBe(0);
  });

  it('drops, rewrites and answers at once when nothing is held', () => {
    const { send, left } = setup(
      { data: 'drop me', action: 'drop' },
      { data: /token=\w+/, action: { replace: [/token=(\w)\w*/g, 'token=$1***'] } },
      { data: 'ping', action: { reply: 'pong' } },
    );
    expect(send('please drop me')).toBe(false);
    expect(send('token=abc&token=xyz')).toBe(false);
    expect(send('ping')).toBe(false);
    expect(left).toEqual([
      ['please drop me', { kind: 'drop' }],
      ['token=abc&token=xyz', { kind: 'pass', data: 'token=a***&token=x***', original: 'token=abc&token=xyz' }],
      ['ping', { kind: 'reply', data: 'pong' }],
    ]);
  });

  it('replaces a substring literally, every occurrence, and leaves binary and unchanged text alone', () => {
    const { send, left } = setup({ action: { replace: ['$a', '$1'] } });
    expect(send('$a-$a')).toBe(false);
    expect(send('no match')).toBe(true);
    expect(send(new Uint8Array([36, 97]))).toBe(true);
    expect(left).toEqual([['$a-$a', { kind: 'pass', data: '$1-$1', original: '$a-$a' }]]);
  });

  it('takes the newest matching rule, and filters by type', () => {
    const { send, left } = setup({ action: 'drop' }, { type: 'binary', action: { reply: 'bin' } }, { type: 'text', data: 'x', action: { reply: 'newest' } });
    send('x');
    send(new Uint8Array([1]));
    send('y');
    expect(left.map(([, outcome]) => outcome)).toEqual([{ kind: 'reply', data: 'newest' }, { kind: 'reply', data: 'bin' }, { kind: 'drop' }]);
  });

  it('matches content in the first MiB of a text only', () => {
    const { send } = setup({ data: 'needle', action: 'drop' });
    expect(send('a'.repeat(MATCHED_CHARS - 6) + 'needle')).toBe(false);
    expect(send('a'.repeat(MATCHED_CHARS - 5) + 'needle')).toBe(true);
  });

  it('holds at a breakpoint; later messages wait behind it in order; releasing lets them go up to the next held one', () => {
    const { gate, breakpoints, send, left } = setup({ data: 'stop', action: 'pause' }, { data: 'gone', action: 'drop' });
    expect(send('stop 1')).toBe(false);
    send('plain');
    send('gone');
    send('stop 2');
    send('mine', true);
    send('plain 2');
    expect(left).toEqual([]);
    expect(gate.heldCount).toBe(6);
    expect(gate.heldBytes).toBe(6 + 5 + 4 + 6 + 4 + 7);
    const held = breakpoints.list();
    expect(held.map(({ id, item }) => [id, item.data])).toEqual([
      [1, 'stop 1'],
      [2, 'stop 2'],
    ]);
    expect(breakpoints.release(1, { data: 'edited' })).toBe(true);
    expect(left).toEqual([
      ['stop 1', { kind: 'pass', data: 'edited', original: 'stop 1' }],
      ['plain', { kind: 'pass', data: 'plain', original: null }],
      ['gone', { kind: 'drop' }],
    ]);
    expect(breakpoints.release(1, {})).toBe(false);
    expect(breakpoints.release(2, { drop: true })).toBe(true);
    expect(left.slice(3)).toEqual([
      ['stop 2', { kind: 'drop' }],
      ['mine', { kind: 'pass', data: 'mine', original: null }],
      ['plain 2', { kind: 'pass', data: 'plain 2', original: null }],
    ]);
    expect(gate.heldCount).toBe(0);
    expect(gate.heldBytes).toBe(0);
    expect(breakpoints.list()).toEqual([]);
  });

  it('a message released out of turn waits for the held one ahead of it', () => {
    const { breakpoints, send, left } = setup({ action: 'pause' });
    send('a');
    send('b');
    breakpoints.release(2, {});
    expect(left).toEqual([]);
    breakpoints.release(1, {});
    expect(left.map(([data]) => data)).toEqual(['a', 'b']);
  });

  it('lets go what a removed breakpoint held; a cleared gate forgets what it held', () => {
    const { gate, breakpoints, send, left } = setup({ action: 'pause' });
    send('a');
    send('b');
    gate.setRules([]);
    expect(left.map(([data]) => data)).toEqual(['a', 'b']);
    expect(gate.idle).toBe(true);
    const second = setup({ action: 'pause' });
    second.send('a');
    second.gate.clear();
    expect(second.breakpoints.list()).toEqual([]);
    expect(second.breakpoints.release(1, {})).toBe(false);
    expect(second.left).toEqual([]);
    void breakpoints;
  });
});

describe('readInterceptRule', () => {
  const read = (rule: object) => () => readInterceptRule({ match: '/', direction: 'send', action: 'drop', ...rule });
  it('refuses bad input with its reason', () => {
    expect(read({ direction: 'up' })).toThrow('direction must be "send" or "receive"');
    expect(read({ action: 'explode' })).toThrow('action must be "drop", "pause", { replace: [pattern, replacement] } or { reply: data }');
    expect(read({ action: { reply: 'x' }, direction: 'receive' })).toThrow('a reply answers a send');
    expect(read({ data: /x/g })).toThrow('flags "g"');
    expect(read({ data: { kind: 'regex', source: '(' } })).toThrow('does not compile');
    expect(read({ action: { replace: ['a'] } })).toThrow('[pattern, replacement]');
    expect(read({ action: { reply: { base64: '%%' } } })).toThrow('action.reply must be text, bytes or { base64 } of at most 16 MiB');
    expect(read({ action: { reply: 42 } })).toThrow('action.reply must be text, bytes or { base64 }');
    expect(read({ action: { reply: new Uint8Array(16 * 1024 * 1024 + 1) } })).toThrow('action.reply: the message is 16777217 bytes, over the limit of 16777216');
    expect(read({ action: { reply: 'é'.repeat(8 * 1024 * 1024 + 1) } })).toThrow('action.reply: the message is 16777218 bytes, over the limit of 16777216');
    expect(read({ type: 'binary', data: 'x' })).toThrow('a rule for binary messages has none');
    expect(read({ extra: 1 })).toThrow('unknown field "extra"');
  });

  it('reads a rules file form: regular expressions as objects, bytes as base64', () => {
    const rule = readInterceptRule({ match: { kind: 'regex', source: 'chat' }, direction: 'send', data: { kind: 'regex', source: '^hi', flags: 'i' }, action: { reply: { base64: 'AQI=' } } });
    expect(rule.data).toEqual({ kind: 'regex', source: '^hi', flags: 'i' });
    expect(rule.action).toEqual({ reply: { base64: 'AQI=' } });
    // Bytes are copied: the caller may reuse its buffer.
    const bytes = new Uint8Array([5, 6]);
    const copied = readInterceptRule({ match: '/', direction: 'send', action: { reply: bytes.subarray(1) } });
    bytes[1] = 0;
    expect(copied.action).toEqual({ reply: new Uint8Array([6]) });
  });
});
