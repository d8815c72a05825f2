// What the helper hands the page: JSON crosses into it, so bytes go as
// base64 and a RegExp as its source and flags.
import type { InterceptInput, MessageData, RuleInput } from './playwright';

/** A message as JSON can carry it: text as is, bytes as base64. */
export function plainData(data: MessageData): unknown {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return { base64: Buffer.from(data).toString('base64') };
  if (ArrayBuffer.isView(data)) return { base64: Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64') };
  // Anything else goes as it is, for the page to refuse with its reason.
  return data;
}

/** A shaping rule as JSON can carry it. */
export function plainRule(rule: RuleInput): Record<string, unknown> {
  return { ...rule, match: plainPattern(rule.match) };
}

/** An intercept rule as JSON can carry it. */
export function plainIntercept(rule: InterceptInput): Record<string, unknown> {
  const { action } = rule;
  const plainAction =
    typeof action !== 'object' ? action : 'reply' in action ? { reply: plainData(action.reply) } : { replace: [plainPattern(action.replace[0]), action.replace[1]] };
  return { ...rule, match: plainPattern(rule.match), ...(rule.data === undefined ? {} : { data: plainPattern(rule.data) }), action: plainAction };
}

/** A RegExp as its source and flags; anything else as it is. */
function plainPattern<T>(pattern: T | RegExp): T | { kind: 'regex'; source: string; flags: string } {
  return pattern instanceof RegExp ? { kind: 'regex', source: pattern.source, flags: pattern.flags } : pattern;
}
