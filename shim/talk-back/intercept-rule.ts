// An intercept rule: which sockets and which of their messages it catches,
// in one direction, and what it does to them (drop, rewrite, answer, hold at
// a breakpoint). One reading of untrusted input (the panel's editor, a rules
// file, the page's `sockscope.intercept`) into a checked rule, or a RuleError
// that says what is wrong, as shaping rules are read (shaping/rule.ts).
import { readMatch, readRule, RuleError, type Match, type Rule } from '../shaping/rule';
import type { Direction, MessageType } from '../wire/records';
import { readOwnData } from '../wire/check';
import { OWN_MESSAGE_BYTES, type OwnData } from '../wire/messages';

/** A text message's content: contains `value`, or matches the regular expression. */
export type ContentMatch = { kind: 'text'; value: string } | { kind: 'regex'; source: string; flags: string };

export type InterceptAction =
  /** The message goes no further. */
  | 'drop'
  /** A breakpoint: the message waits until released (as is, edited, or dropped); later ones in its direction wait behind it. */
  | 'pause'
  /** Every match of `pattern` in a text message is replaced (a regular expression's `$1`… apply). */
  | { replace: { pattern: ContentMatch; replacement: string } }
  /** A send is answered with `reply`, as if the server sent it, and not sent. */
  | { reply: ReplyData };

/** What a reply answers with: text, base64 of bytes (a rules file's form), or bytes (a copy). */
export type ReplyData = OwnData | Uint8Array;

export interface InterceptRule {
  match: Match;
  direction: Direction;
  /** Only text messages whose content matches (null: any message). */
  data: ContentMatch | null;
  type: MessageType | null;
  action: InterceptAction;
}

/** Characters of a text message a content pattern looks at: a huge message is matched by its start. */
export const MATCHED_CHARS = 1024 * 1024;
/** Characters of a pattern or a replacement. */
export const PATTERN_CHARS = 4_096;

const FIELDS = ['match', 'direction', 'data', 'type', 'action'];

/** An intercept rule is a rule with an `action`: one list holds both kinds. */
export const isInterceptInput = (input: unknown): boolean => typeof input === 'object' && input !== null && 'action' in input;

/** A shaping rule, or an intercept rule, read as `readRule` or `readInterceptRule` reads it. */
export function readAnyRule(input: unknown): Rule | InterceptRule {
  return isInterceptInput(input) ? readInterceptRule(input) : readRule(input);
}

/**
 * Reads an intercept rule as a page, a test or the panel wrote it:
 * `{ match, direction: 'send' | 'receive', data?, type?, action }`. `data`
 * and a replace pattern are a substring, a RegExp or `{ kind: 'regex', source, flags }`;
 * a reply is text, bytes, or `{ base64 }` (a rules file's form). Throws a RuleError naming the field.
 */
export function readInterceptRule(input: unknown): InterceptRule {
  if (typeof input !== 'object' || input === null) throw new RuleError('an intercept rule must be an object: { match, direction, data, type, action }');
  const fields = input as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    if (!FIELDS.includes(key)) throw new RuleError(`unknown field "${key}" (known: ${FIELDS.join(', ')})`);
  }
  const direction = fields.direction;
  if (direction !== 'send' && direction !== 'receive') throw new RuleError('direction must be "send" or "receive"');
  const type = fields.type ?? null;
  if (type !== null && type !== 'text' && type !== 'binary') throw new RuleError('type must be "text", "binary" or left out');
  const data = fields.data === undefined || fields.data === null ? null : readContent(fields.data, 'data', false);
  if (data && type === 'binary') throw new RuleError('data matches text: a rule for binary messages has none');
  return { match: readMatch(fields.match), direction, data, type, action: readAction(fields.action, direction) };
}

function readAction(value: unknown, direction: Direction): InterceptAction {
  if (value === 'drop' || value === 'pause') return value;
  if (typeof value !== 'object' || value === null) {
    throw new RuleError('action must be "drop", "pause", { replace: [pattern, replacement] } or { reply: data }');
  }
  const keys = Object.keys(value);
  if (keys.length !== 1 || (keys[0] !== 'replace' && keys[0] !== 'reply')) throw new RuleError('action must have exactly one of replace, reply');
  if ('reply' in value) {
    if (direction !== 'send') throw new RuleError('a reply answers a send: direction must be "send"');
    return { reply: readReply((value as { reply: unknown }).reply) };
  }
  const replace = (value as { replace: unknown }).replace;
  if (!Array.isArray(replace) || replace.length !== 2) throw new RuleError('action.replace must be [pattern, replacement]');
  const [pattern, replacement] = replace as [unknown, unknown];
  if (typeof replacement !== 'string' || replacement.length > PATTERN_CHARS) throw new RuleError(`action.replace's replacement must be a string of at most ${PATTERN_CHARS} characters`);
  return { replace: { pattern: readContent(pattern, 'action.replace pattern', true), replacement } };
}

function readReply(value: unknown): ReplyData {
  const tooLarge = (size: number) => new RuleError(`action.reply: the message is ${size} bytes, over the limit of ${OWN_MESSAGE_BYTES}`);
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) {
    const bytes = value instanceof ArrayBuffer ? new Uint8Array(value) : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    if (bytes.length > OWN_MESSAGE_BYTES) throw tooLarge(bytes.length);
    return bytes.slice();
  }
  // Text of at most a third of the bound in UTF-16 units is within it in UTF-8.
  if (typeof value === 'string' && value.length > OWN_MESSAGE_BYTES / 3) {
    const size = value.length > OWN_MESSAGE_BYTES ? value.length : new TextEncoder().encode(value).length;
    if (size > OWN_MESSAGE_BYTES) throw tooLarge(size);
  }
  const data = readOwnData(value);
  if (data === null) throw new RuleError('action.reply must be text, bytes or { base64 } of at most 16 MiB');
  return data;
}

/** A substring or a regular expression; `global` allows the g flag (a replacement's: replace every match). */
function readContent(value: unknown, field: string, global: boolean): ContentMatch {
  if (typeof value === 'string') {
    if (value.length === 0 || value.length > PATTERN_CHARS) throw new RuleError(`${field} must be a string of 1 to ${PATTERN_CHARS} characters`);
    return { kind: 'text', value };
  }
  const regex = value instanceof RegExp ? { source: value.source, flags: value.flags } : (value as { kind?: unknown; source?: unknown; flags?: unknown } | null);
  if (typeof regex !== 'object' || regex === null || (!(value instanceof RegExp) && (value as { kind?: unknown }).kind !== 'regex')) {
    throw new RuleError(`${field} must be a substring, a RegExp or { kind: "regex", source, flags }`);
  }
  const { source, flags = '' } = regex;
  if (typeof source !== 'string' || source.length === 0 || source.length > PATTERN_CHARS) throw new RuleError(`${field}: the source must be a string of 1 to ${PATTERN_CHARS} characters`);
  if (typeof flags !== 'string') throw new RuleError(`${field}: the flags must be a string`);
  const allowed = global ? /^[dgimsuv]*$/ : /^[dimsuv]*$/;
  if (!allowed.test(flags)) throw new RuleError(`${field}: flags "${flags}": only d, ${global ? 'g, ' : ''}i, m, s, u and v apply here`);
  try {
    new RegExp(source, flags);
  } catch (error) {
    throw new RuleError(`${field}: the regular expression does not compile: ${(error as Error).message}`);
  }
  return { kind: 'regex', source, flags };
}
