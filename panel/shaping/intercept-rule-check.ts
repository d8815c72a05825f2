// An intercept rule as the panel keeps it, sends it and writes it to a rules
// file: the plain JSON form the shim's readInterceptRule takes (a regular
// expression as { kind: 'regex', source, flags }, a reply's bytes as
// { base64 }). The panel may not import the shim's reader (it reaches the
// page-world realm helpers), so this checks the same bounds before a rule
// leaves the panel, and says what is wrong as a RuleError naming the field.
import { OWN_MESSAGE_BYTES, type OwnData } from '../../shim/wire/messages';
import { readMatch, readRule, RuleError, type Match, type Rule } from '../../shim/shaping/rule';
import { base64Bytes } from '../detail/hex-dump';

/** A substring, or a regular expression. */
export type TextPattern = string | { kind: 'regex'; source: string; flags: string };

export type PanelInterceptAction = 'drop' | 'pause' | { replace: [TextPattern, string] } | { reply: OwnData };

export interface PanelInterceptRule {
  match: Match;
  direction: 'send' | 'receive';
  /** Only text messages whose content matches; left out: any message. */
  data?: TextPattern;
  type?: 'text' | 'binary';
  action: PanelInterceptAction;
}

/** Characters of a pattern or a replacement, as the shim bounds them. */
export const PATTERN_CHARS = 4_096;

const KNOWN = ['match', 'direction', 'data', 'type', 'action'];

export const isInterceptInput = (input: unknown): boolean => typeof input === 'object' && input !== null && 'action' in input;

/** A shaping rule (read by the shim's own readRule) or an intercept rule, as one list holds both. */
export function readPanelRule(input: unknown): Rule | PanelInterceptRule {
  return isInterceptInput(input) ? readPanelIntercept(input) : readRule(input);
}

export function readPanelIntercept(input: unknown): PanelInterceptRule {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new RuleError('an intercept rule must be an object: { match, direction, data, type, action }');
  const fields = input as Record<string, unknown>;
  const unknown = Object.keys(fields).find((key) => !KNOWN.includes(key));
  if (unknown !== undefined) throw new RuleError(`unknown field "${unknown}" (known: ${KNOWN.join(', ')})`);
  const { direction, type } = fields;
  if (direction !== 'send' && direction !== 'receive') throw new RuleError('direction must be "send" or "receive"');
  if (type !== undefined && type !== null && type !== 'text' && type !== 'binary') throw new RuleError('type must be "text", "binary" or left out');
  const data = fields.data === undefined || fields.data === null ? undefined : readPattern(fields.data, 'data', false);
  if (data !== undefined && type === 'binary') throw new RuleError('data matches text: a rule for binary messages has none');
  const match = readMatch(fields.match);
  const action = readAction(fields.action, direction);
  // Fields in the order a file shows them.
  return { match, direction, ...(data !== undefined && { data }), ...((type === 'text' || type === 'binary') && { type }), action };
}

function readAction(value: unknown, direction: 'send' | 'receive'): PanelInterceptAction {
  if (value === 'drop' || value === 'pause') return value;
  if (typeof value !== 'object' || value === null) throw new RuleError('action must be "drop", "pause", { replace: [pattern, replacement] } or { reply: data }');
  const keys = Object.keys(value);
  if (keys.length !== 1 || (keys[0] !== 'replace' && keys[0] !== 'reply')) throw new RuleError('action must have exactly one of replace, reply');
  const { replace, reply } = value as { replace?: unknown; reply?: unknown };
  if (keys[0] === 'reply') {
    if (direction !== 'send') throw new RuleError('a reply answers a send: direction must be "send"');
    return { reply: readReply(reply) };
  }
  if (!Array.isArray(replace) || replace.length !== 2) throw new RuleError('action.replace must be [pattern, replacement]');
  const replacement: unknown = replace[1];
  if (typeof replacement !== 'string' || replacement.length > PATTERN_CHARS) {
    throw new RuleError(`action.replace's replacement must be a string of at most ${PATTERN_CHARS} characters`);
  }
  return { replace: [readPattern(replace[0], 'action.replace pattern', true), replacement] };
}

const utf8 = new TextEncoder();

function readReply(value: unknown): OwnData {
  const tooLarge = (size: number) => new RuleError(`action.reply: the message is ${size} bytes, over the limit of ${OWN_MESSAGE_BYTES}`);
  if (typeof value === 'string') {
    // UTF-16 units bound the UTF-8 size from below.
    const size = value.length > OWN_MESSAGE_BYTES ? value.length : utf8.encode(value).length;
    if (size > OWN_MESSAGE_BYTES) throw tooLarge(size);
    return value;
  }
  const base64 = typeof value === 'object' && value !== null ? (value as { base64?: unknown }).base64 : undefined;
  if (typeof base64 !== 'string') throw new RuleError('action.reply: a message is a string, an ArrayBuffer or an ArrayBufferView');
  if (base64.length > (OWN_MESSAGE_BYTES / 3) * 4 + 4) throw tooLarge(Math.floor((base64.length * 3) / 4));
  const bytes = base64Bytes(base64);
  if (bytes === null) throw new RuleError('action.reply.base64 is not base64');
  if (bytes.length > OWN_MESSAGE_BYTES) throw tooLarge(bytes.length);
  return { base64 };
}

/** A substring or a regular expression that compiles; `global`: the g flag is allowed (a replacement's). */
function readPattern(value: unknown, field: string, global: boolean): TextPattern {
  const bounded = (text: unknown): text is string => typeof text === 'string' && text.length > 0 && text.length <= PATTERN_CHARS;
  if (typeof value === 'string') {
    if (!bounded(value)) throw new RuleError(`${field} must be a string of 1 to ${PATTERN_CHARS} characters`);
    return value;
  }
  const regex = typeof value === 'object' && value !== null ? (value as { kind?: unknown; source?: unknown; flags?: unknown }) : null;
  if (regex?.kind !== 'regex') throw new RuleError(`${field} must be a substring or { kind: "regex", source, flags }`);
  const { source, flags = '' } = regex;
  if (!bounded(source)) throw new RuleError(`${field}: the source must be a string of 1 to ${PATTERN_CHARS} characters`);
  if (typeof flags !== 'string') throw new RuleError(`${field}: the flags must be a string`);
  if (!(global ? /^[dgimsuv]*$/ : /^[dimsuv]*$/).test(flags)) {
    throw new RuleError(`${field}: flags "${flags}": only d, ${global ? 'g, ' : ''}i, m, s, u and v apply here`);
  }
  try {
    new RegExp(source, flags);
  } catch (error) {
    throw new RuleError(`${field}: the regular expression does not compile: ${(error as Error).message}`);
  }
  return { kind: 'regex', source, flags };
}
