// Which sockets a rule is for, as the editor offers it (every socket, by URL
// as a substring or a regex, or the selected socket) and as a label says it.
import { RuleError, type Match } from '../../shim/shaping/rule';
import { oneLine } from '../model/format';
import type { SocketEntry } from '../model/store';

/** Every socket: `^` matches any URL. */
export const EVERY_SOCKET = { kind: 'regex', source: '^', flags: '' } as const;

/** Characters of a rule's label (the wire contract bounds it). */
export const LABEL_CHARS = 120;

export type Scope = 'all' | 'url' | 'regex' | 'socket';

/** Says which sockets `match` names, for a rule whose socket is not at hand (a rules file's). */
export function matchLabel(match: Match): string {
  if (match.kind === 'url') return oneLine(`URL contains “${match.value}”`, LABEL_CHARS);
  if (match.kind === 'socket') return `Socket #${match.id} of any document`;
  if (match.source === EVERY_SOCKET.source && match.flags === '') return 'Every socket';
  return oneLine(`URL matches /${match.source}/${match.flags}`, LABEL_CHARS);
}

/** The sockets the editor's scope names: the match, the document it is limited to, and its label. */
export function scopeOf(scope: Scope, pattern: string, selected: SocketEntry | undefined): { match: Match; instance: string | null; label: string } {
  if (scope === 'socket') {
    if (!selected) throw new RuleError('select a socket first');
    return { match: { kind: 'socket', id: selected.info.id }, instance: selected.instance, label: oneLine(`Socket ${selected.info.url}`, LABEL_CHARS) };
  }
  const match: Match = scope === 'url' ? { kind: 'url', value: pattern } : scope === 'regex' ? { kind: 'regex', source: pattern, flags: '' } : EVERY_SOCKET;
  return { match, instance: null, label: matchLabel(match) };
}
