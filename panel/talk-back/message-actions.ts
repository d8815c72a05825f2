// Resend and Edit and resend on a logged message: a sent message goes to the
// server again, a received one to the page again; only whole messages, on
// an open socket.
import type { LoggedMessage } from '../model/message-log';
import type { InspectedTab } from '../model/inspected-tab';
import type { LogStore, SocketEntry } from '../model/store';
import { dataOf, editableForm } from './composed-message';
import { pendingDraft, type ComposeTarget } from './composer-state';
import { codecOf } from './decoded-edit';

export interface MessageActions {
  /** Why the message cannot be sent again now, or null. */
  blocked(message: LoggedMessage): string | null;
  resend(message: LoggedMessage): void;
  /** What puts the message in the composer, for the selected socket's messages (the composer's); null for another's. */
  editor(message: LoggedMessage): (() => void) | null;
}

/** Why the user cannot talk on this socket now, or null when they can. */
export function notOpenReason(entry: SocketEntry): string | null {
  const state = entry.info.readyState;
  if (state === 1) return null;
  return state === 0 ? 'The socket is still connecting' : 'The socket is closed';
}

const targetOf = (message: LoggedMessage): ComposeTarget => (message.direction === 'send' ? 'send' : 'inject');

/** The actions on messages shown with `selected`'s composer; a message of another socket is resent on its own. */
export function messageActions(tab: InspectedTab, store: LogStore, selected: SocketEntry): MessageActions {
  const ownerOf = (message: LoggedMessage) => (message.socket === selected.number ? selected : store.socketByNumber(message.socket));
  return {
    blocked(message) {
      if (message.truncated) return 'Only part of this message was kept: it cannot be sent again';
      const owner = ownerOf(message);
      return owner ? notOpenReason(owner) : 'Its socket was cleared from the list';
    },
    resend(message) {
      const owner = ownerOf(message);
      if (owner) tab.talk(owner, targetOf(message), { data: dataOf(message) });
    },
    editor: (message) =>
      message.socket === selected.number ? () => (pendingDraft.value = { ...editableForm(message, codecOf(selected.info)), target: targetOf(message) }) : null,
  };
}
