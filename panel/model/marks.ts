// Who besides the page and the server is behind a message, as the panel shows
// it: one line per mark. The log stores a mark as its place in this table.
import type { MessageMark } from '../../shim/wire/records';

export interface MarkLook {
  /** The table's badge. */
  badge: string;
  /** The badge's tooltip and the detail's words. */
  title: string;
}

export const MARKS: Readonly<Record<MessageMark, MarkLook>> = {
  sent: { badge: 'sent', title: 'Sent by Sockscope as the page' },
  injected: { badge: 'injected', title: 'Delivered to the page by Sockscope, as if from the server' },
  edited: { badge: 'edited', title: 'Edited on its way, by a rule or at a breakpoint (the original is kept)' },
  dropped: { badge: 'dropped', title: 'Dropped on its way, by a rule or at a breakpoint: it went no further' },
  mocked: { badge: 'mocked', title: 'A send a rule answered instead of sending it, or that answer' },
};

/** The marks in table order: a mark's code in the log is its place here, plus one (0 for none). */
export const MARK_ORDER = Object.keys(MARKS) as MessageMark[];

export const isMark = (x: unknown): x is MessageMark => typeof x === 'string' && Object.hasOwn(MARKS, x);
