// The composer's state that outlives one socket's view: what "Edit and
// resend" hands it, and what was sent from it, newest first, to reuse.
import { signal } from '@preact/signals';
import type { ComposeFormat } from './composed-message';

/** `send`: to the server, as the page; `inject`: to the page, as if from the server. */
export type ComposeTarget = 'send' | 'inject';

export interface Draft {
  text: string;
  format: ComposeFormat;
  target: ComposeTarget;
}

/** A draft handed to the composer ("Edit and resend"); it takes it and sets this back to null. */
export const pendingDraft = signal<Draft | null>(null);

/** Drafts sent from the composer, newest first. */
export const sentDrafts = signal<readonly Draft[]>([]);

const HISTORY_LENGTH = 50;

export function remember(draft: Draft): void {
  const same = (d: Draft) => d.text === draft.text && d.format === draft.format && d.target === draft.target;
  sentDrafts.value = [draft, ...sentDrafts.value.filter((d) => !same(d))].slice(0, HISTORY_LENGTH);
}
