// An intercept rule as the panel keeps it, sends it and writes it to a rules
// file: the plain JSON form the shim's readInterceptRule takes (a regular
// expression as { kind: 'regex', source, flags }, a reply's bytes as
// { base64 }), checked by that same reader.
import { readRule, type Match, type Rule } from '../../shim/shaping/rule';
import { isInterceptInput, readInterceptRule } from '../../shim/talk-back/intercept-rule';
import type { OwnData } from '../../shim/wire/messages';

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

/** A shaping rule (as readRule gives it) or an intercept rule (as `readPanelIntercept` gives it): one list holds both. */
export function readPanelRule(input: unknown): Rule | PanelInterceptRule {
  return isInterceptInput(input) ? readPanelIntercept(input) : readRule(input);
}

/** The rule as written, its match as the shim reads it, once the shim's reader accepts it; its RuleError otherwise. */
export function readPanelIntercept(input: unknown): PanelInterceptRule {
  const { match } = readInterceptRule(input);
  return { ...(input as PanelInterceptRule), match };
}
