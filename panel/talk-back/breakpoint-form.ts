// Breakpoints as the panel keeps them: intercept rules whose action is
// 'pause', among the tab's rules. The form's fields become the rule as the
// shim reads it, checked by the rule language's own reader; the form is
// prefilled from the message filter; and the held messages a socket's view
// shows.
import { HELD_DATA_CHARS, type PanelEvents, type PanelRule, type WireHeld } from '../../shim/wire/messages';
import { RuleError } from '../../shim/shaping/rule';
import { readInterceptRule } from '../../shim/talk-back/intercept-rule';
import type { MessageFilter } from '../search/message-filter';
import { formatCount, oneLine } from '../model/format';

export type BreakpointScope = 'url' | 'all';
export type BreakpointDirection = 'send' | 'receive' | 'both';

export interface BreakpointForm {
  /** `url`: sockets whose URL contains the selected socket's; `all`: every socket. */
  scope: BreakpointScope;
  direction: BreakpointDirection;
  /** Text a message must contain, or a regular expression's source; '' for any message. */
  pattern: string;
  regex: boolean;
  /** The regular expression's flags. */
  flags: string;
}

export const SCOPE_LABELS: Record<BreakpointScope, string> = { url: "This socket's URL", all: 'Every socket' };
export const DIRECTION_LABELS: Record<BreakpointDirection, string> = { send: 'Sends', receive: 'Receives', both: 'Both' };

/** Every socket: `^` matches any URL. */
const EVERY_URL = { kind: 'regex', source: '^', flags: '' } as const;
/** Characters of a label (the wire contract allows 200). */
const LABEL_CHARS = 180;
const ARROWS = { send: '↑', receive: '↓' } as const;

/** A new form: what the message filter shows, when it says anything a breakpoint can take. */
export function prefilledForm(filter: MessageFilter): BreakpointForm {
  const direction: BreakpointDirection = filter.send && !filter.receive ? 'send' : filter.receive && !filter.send ? 'receive' : 'both';
  const literal = /^\/(.+)\/([a-z]*)$/s.exec(filter.query);
  if (literal) return { scope: 'url', direction, pattern: literal[1], regex: true, flags: literal[2] };
  return { scope: 'url', direction, pattern: filter.query, regex: false, flags: '' };
}

/**
 * The rules a form adds (two for both directions), as the shim reads them, or
 * why it cannot, in the shim's words: the rule language's own reader checks them.
 */
export function breakpointRules(form: BreakpointForm, socketUrl: string | null): PanelRule[] | { error: string } {
  if (form.scope === 'url' && !socketUrl) return { error: 'Select a socket first, or choose every socket' };
  const match = form.scope === 'url' ? { kind: 'url', value: socketUrl } : EVERY_URL;
  const data = form.pattern === '' ? undefined : form.regex ? { kind: 'regex', source: form.pattern, flags: form.flags } : form.pattern;
  const directions = form.direction === 'both' ? (['send', 'receive'] as const) : [form.direction];
  const rules = directions.map((direction) => ({
    rule: { match, direction, ...(data !== undefined && { data }), action: 'pause' },
    instance: null,
    label: breakpointLabel(direction, form.scope === 'url' ? socketUrl : null, data),
  }));
  try {
    for (const { rule } of rules) readInterceptRule(rule);
  } catch (thrown) {
    if (!(thrown instanceof RuleError)) throw thrown;
    return { error: thrown.message };
  }
  return rules;
}

/** What a breakpoint catches, in a line: direction, sockets, content. */
export function breakpointLabel(direction: 'send' | 'receive', url: string | null, data: string | { source: string; flags: string } | undefined): string {
  const where = url === null ? 'every socket' : url;
  const what = data === undefined ? '' : typeof data === 'string' ? ` containing “${data}”` : ` matching /${data.source}/${data.flags}`;
  return oneLine(`${ARROWS[direction]} ${direction === 'send' ? 'Sends' : 'Receives'} on ${where}${what}`, LABEL_CHARS);
}

/** Whether a tab rule is a breakpoint (an intercept rule that pauses). */
export function isBreakpoint(entry: PanelRule): boolean {
  const rule = entry.rule;
  return typeof rule === 'object' && rule !== null && (rule as { action?: unknown }).action === 'pause';
}

/** The tab's rules without breakpoints: what "Continue all" leaves. */
export const withoutBreakpoints = (rules: readonly PanelRule[]): PanelRule[] => rules.filter((rule) => !isBreakpoint(rule));

type HeldLists = Readonly<Record<string, PanelEvents['held']>>;

/** The messages held on one socket of one document, oldest first. */
export function heldOn(held: HeldLists, instance: string, socketId: number): WireHeld[] {
  return held[instance]?.messages.filter((message) => message.socketId === socketId) ?? [];
}

/** How many messages the documents in `live` hold (listed or counted beyond the list); a gone document's last word does not count. */
export function heldCount(held: HeldLists, live: ReadonlySet<string>): number {
  let count = 0;
  for (const list of Object.values(held)) if (live.has(list.instance)) count += list.messages.length + list.more;
  return count;
}

/** Why a held message can be forwarded or dropped as it is but not edited, or null when it can be. */
export function notEditableReason(held: WireHeld): string | null {
  if (held.truncated) return `Only its first ${formatCount(HELD_DATA_CHARS)} characters reached the panel: it can be forwarded or dropped as it is, not edited`;
  if (held.type === 'binary' && held.data === '' && held.size > 0) return 'A Blob the page sent is not read: it can be forwarded or dropped as it is, not edited';
  return null;
}
