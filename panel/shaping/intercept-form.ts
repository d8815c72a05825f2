// The rule editor's form for an intercept rule (drop, rewrite, reply) as
// plain data, read into the rule the shim takes, and what a rule does in a
// line for the list.
import { RuleError, type Match } from '../../shim/shaping/rule';
import { oneLine } from '../model/format';
import { readComposed, type ComposeFormat } from '../talk-back/composed-message';
import { readPanelIntercept, type PanelInterceptRule, type TextPattern } from './intercept-rule-check';

export type InterceptKind = 'drop' | 'rewrite' | 'reply';

export const INTERCEPT_KINDS: Record<InterceptKind, string> = {
  drop: 'Drop: the message goes no further',
  rewrite: 'Rewrite: replace text in the message',
  reply: 'Reply: answer a send in place of the server',
};

/** How a pattern field reads: left out, a substring, or a regular expression. */
export type PatternKind = 'any' | 'text' | 'regex';

export interface InterceptForm {
  kind: InterceptKind;
  direction: 'send' | 'receive';
  /** Which messages: any, or text ones whose content matches. */
  dataKind: PatternKind;
  data: string;
  dataFlags: string;
  findKind: Exclude<PatternKind, 'any'>;
  find: string;
  findFlags: string;
  replacement: string;
  reply: string;
  replyFormat: ComposeFormat;
}

export const emptyInterceptForm = (kind: InterceptKind): InterceptForm => ({
  kind,
  direction: 'send',
  dataKind: 'any',
  data: '',
  dataFlags: '',
  findKind: 'text',
  find: '',
  findFlags: 'g',
  replacement: '',
  reply: '',
  replyFormat: 'text',
});

const patternOf = (kind: PatternKind, text: string, flags: string): TextPattern | undefined =>
  kind === 'any' ? undefined : kind === 'text' ? text : { kind: 'regex', source: text, flags };

/** The form as a checked intercept rule for the sockets `match` names; a RuleError names what is wrong. */
export function readInterceptForm(form: InterceptForm, match: Match): PanelInterceptRule {
  const input: Record<string, unknown> = { match, direction: form.direction };
  const data = patternOf(form.dataKind, form.data, form.dataFlags);
  if (data !== undefined) input.data = data;
  if (form.kind === 'drop') input.action = 'drop';
  else if (form.kind === 'rewrite') input.action = { replace: [patternOf(form.findKind, form.find, form.findFlags), form.replacement] };
  else {
    const reply = readComposed(form.reply, form.replyFormat);
    if ('error' in reply) throw new RuleError(`action.reply: ${reply.error}`);
    input.action = { reply: reply.data };
  }
  return readPanelIntercept(input);
}

const PATTERN_SHOWN = 60;

const showPattern = (pattern: TextPattern): string =>
  typeof pattern === 'string' ? `“${oneLine(pattern, PATTERN_SHOWN)}”` : `/${oneLine(pattern.source, PATTERN_SHOWN)}/${pattern.flags}`;

/** What an intercept rule does, in a line: "↑ sends containing “x”: answered with “y”". */
export function describeIntercept(rule: PanelInterceptRule): string {
  const which = `${rule.direction === 'send' ? '↑ sends' : '↓ receives'}${rule.type ? ` (${rule.type})` : ''}`;
  const matching = rule.data === undefined ? which : `${which} ${typeof rule.data === 'string' ? 'containing' : 'matching'} ${showPattern(rule.data)}`;
  const { action } = rule;
  if (action === 'drop') return `${matching}: dropped`;
  if (action === 'pause') return `${matching}: held at a breakpoint`;
  if ('replace' in action) return `${matching}: ${showPattern(action.replace[0])} replaced with “${oneLine(action.replace[1], PATTERN_SHOWN)}”`;
  const { reply } = action;
  return `${matching}: answered with ${typeof reply === 'string' ? `“${oneLine(reply, PATTERN_SHOWN)}”` : 'bytes'}, not sent`;
}
