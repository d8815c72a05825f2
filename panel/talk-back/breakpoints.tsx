// Breakpoints above the selected socket's messages: the tab's breakpoints,
// each removable (which lets what it held go), a form to add one (for this
// socket's URL or every socket, sends, receives or both, any message or those
// containing a text or matching a regular expression, prefilled from the
// message filter), and the message held first on this socket. Breakpoints
// are tab rules: the background keeps them across reloads, as shaping rules.
import { useComputed } from '@preact/signals';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { PanelRule } from '../../shim/wire/messages';
import { MAX_RULES } from '../../shim/wire/readers';
import { countOf } from '../model/format';
import type { InspectedTab } from '../model/inspected-tab';
import type { LogStore, SocketEntry } from '../model/store';
import type { MessageFilter } from '../search/message-filter';
import {
  breakpointRules,
  DIRECTION_LABELS,
  heldCount,
  heldOn,
  isBreakpoint,
  prefilledForm,
  SCOPE_LABELS,
  withoutBreakpoints,
  type BreakpointForm,
} from './breakpoint-form';
import { Choice } from './composer';
import { HeldMessage } from './held-message';
import './breakpoints.css';

export interface BreakpointsProps {
  entry: SocketEntry;
  tab: InspectedTab;
  /** The message filter, which a new breakpoint starts from. */
  filter: MessageFilter;
}

export function Breakpoints({ entry, tab, filter }: BreakpointsProps) {
  const [form, setForm] = useState<BreakpointForm | null>(null);
  const rules = tab.rules.value;
  const breakpoints = rules.filter(isBreakpoint);
  const held = heldOn(tab.held.value, entry.instance, entry.info.id);
  const remove = (rule: PanelRule) => tab.shape(rules.filter((r) => r !== rule));

  return (
    <section class="breakpoints" aria-label="Breakpoints" data-testid="breakpoints">
      <div class="breakpoint-bar">
        <span class="breakpoint-title">Breakpoints</span>
        <ul class="breakpoint-list" data-testid="breakpoint-list">
          {breakpoints.map((rule, i) => (
            <li key={`${i}:${rule.label}`} class="breakpoint" data-testid="breakpoint">
              <span class="breakpoint-label" data-testid="breakpoint-label" title={rule.label}>
                {rule.label}
              </span>
              <button type="button" class="breakpoint-remove" data-testid="breakpoint-remove" aria-label={`Remove breakpoint: ${rule.label}`} title="Remove (lets what it holds go)" onClick={() => remove(rule)}>
                ×
              </button>
            </li>
          ))}
        </ul>
        {form === null && (
          <button type="button" class="text-button" data-testid="breakpoint-add" onClick={() => setForm(prefilledForm(filter))}>
            Add breakpoint…
          </button>
        )}
      </div>
      {form !== null && <BreakpointEditor form={form} onForm={setForm} entry={entry} tab={tab} rules={rules} />}
      {held.length > 0 && (
        <HeldMessage
          key={`${entry.instance}:${held[0].id}`}
          entry={entry}
          tab={tab}
          held={held[0]}
          behind={held.length - 1}
          onContinueAll={() => tab.shape(withoutBreakpoints(rules))}
        />
      )}
    </section>
  );
}

interface EditorProps {
  form: BreakpointForm;
  /** Null closes the form. */
  onForm: (form: BreakpointForm | null) => void;
  entry: SocketEntry;
  tab: InspectedTab;
  rules: PanelRule[];
}

function BreakpointEditor({ form, onForm, entry, tab, rules }: EditorProps) {
  const [problem, setProblem] = useState<string | null>(null);
  const pattern = useRef<HTMLInputElement>(null);
  useEffect(() => pattern.current?.focus(), []);
  const edit = (change: Partial<BreakpointForm>) => {
    onForm({ ...form, ...change });
    setProblem(null);
  };
  const add = (event: Event) => {
    event.preventDefault();
    const added = breakpointRules(form, entry.info.url);
    if ('error' in added) return setProblem(added.error);
    if (rules.length + added.length > MAX_RULES) return setProblem(`A tab holds at most ${MAX_RULES} rules`);
    if (tab.status.value !== 'live') return setProblem('Not connected to the page: try again in a moment');
    tab.shape([...rules, ...added]);
    onForm(null);
  };
  return (
    <form
      class="breakpoint-form"
      aria-label="New breakpoint"
      data-testid="breakpoint-form"
      onSubmit={add}
      onKeyDown={(event) => {
        if (event.key === 'Escape') onForm(null);
      }}
    >
      <Choice testId="breakpoint-scope" label="Sockets" labels={SCOPE_LABELS} value={form.scope} onChoose={(scope) => edit({ scope })} />
      <Choice testId="breakpoint-direction" label="Direction" labels={DIRECTION_LABELS} value={form.direction} onChoose={(direction) => edit({ direction })} />
      <input
        ref={pattern}
        type="text"
        class="breakpoint-pattern"
        data-testid="breakpoint-pattern"
        aria-label={form.regex ? 'Regular expression a text message matches' : 'Text a message contains (empty: every message)'}
        placeholder={form.regex ? 'Regular expression' : 'Text it contains (empty: every message)'}
        spellcheck={false}
        aria-invalid={problem !== null}
        value={form.pattern}
        onInput={(event) => edit({ pattern: event.currentTarget.value })}
      />
      <label class="toolbar-switch">
        <input type="checkbox" data-testid="breakpoint-regex" checked={form.regex} onChange={(event) => edit({ regex: event.currentTarget.checked })} />
        Regex
      </label>
      {form.regex && (
        <input type="text" class="breakpoint-flags" data-testid="breakpoint-flags" aria-label="Flags" placeholder="flags" value={form.flags} onInput={(event) => edit({ flags: event.currentTarget.value })} />
      )}
      <button type="submit" class="primary-button" data-testid="breakpoint-submit">
        Add
      </button>
      <button type="button" class="text-button" data-testid="breakpoint-cancel" onClick={() => onForm(null)}>
        Cancel
      </button>
      {problem !== null && (
        <span class="composer-error" role="alert" data-testid="breakpoint-error">
          {problem}
        </span>
      )}
    </form>
  );
}

/** The toolbar's count of messages held at breakpoints in the tab's documents now. */
export function HeldBadge({ tab, store }: { tab: InspectedTab; store: LogStore }) {
  const count = useComputed(() => {
    const page = store.page;
    const live = new Set(store.socketList.value.filter((entry) => entry.page === page).map((entry) => entry.instance));
    return heldCount(tab.held.value, live);
  }).value;
  if (count === 0) return null;
  return (
    <span class="held-badge" role="status" data-testid="held-count" title="Messages held at breakpoints: select their socket to forward, edit or drop them">
      {countOf(count, 'message')} paused
    </span>
  );
}
