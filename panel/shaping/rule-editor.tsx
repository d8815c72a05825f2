// The custom rules of a tab, shaping and intercept rules in one list: the
// list in force (newest last, and the newest that matches a socket applies
// to it), a form for another, and the list to and from a file. The form's
// text goes to `readRule` (or the intercept check, which takes what the
// shim's reader takes) as typed, so the panel refuses what the shim would,
// with its message, and changes nothing then.
import { useEffect, useRef, useState } from 'preact/hooks';
import { type PanelRule } from '../../shim/wire/messages';
import { MAX_RULES } from '../../shim/wire/readers';
import { readRule, RuleError, type LinkSettings, type Match, type Rule } from '../../shim/shaping/rule';
import { formatBytes, oneLine } from '../model/format';
import type { SocketEntry } from '../model/store';
import { documentOnlyCount, exportRulesFile, importRulesFile } from '../files/rules-file';
import { describeIntercept, emptyInterceptForm, INTERCEPT_KINDS, readInterceptForm, type InterceptForm, type InterceptKind } from './intercept-form';
import { InterceptFields } from './intercept-fields';
import type { PanelInterceptRule } from './intercept-rule-check';
import { isInterceptInput } from '../../shim/talk-back/intercept-rule';
import { scopeOf, type Scope } from './rule-scope';
import './rule-editor.css';
import { onFileChosen } from '../files/file-input';

/** What the form adds: a shaping rule, or an intercept rule of a kind. */
type RuleKind = 'shaping' | InterceptKind;
const RULE_KINDS: Record<RuleKind, string> = { shaping: 'Shaping: slow, pause or cut the link', ...INTERCEPT_KINDS };
type LinkField = keyof LinkSettings;
const LINK_FIELDS: { field: LinkField; label: string }[] = [
  { field: 'latencyMs', label: 'Latency (ms)' },
  { field: 'jitterMs', label: 'Jitter (± ms)' },
  { field: 'bytesPerSecond', label: 'Bandwidth (bytes/s)' },
  { field: 'messagesPerSecond', label: 'Messages/s' },
];

interface Form {
  kind: RuleKind;
  scope: Scope;
  pattern: string;
  intercept: InterceptForm;
  up: Record<LinkField, string>;
  down: Record<LinkField, string>;
  consumerRate: string;
  consumerPaused: boolean;
  offline: '' | 'stall' | 'drop' | 'refuse';
}

const emptyLink = (): Record<LinkField, string> => ({ latencyMs: '', jitterMs: '', bytesPerSecond: '', messagesPerSecond: '' });
const emptyForm = (kind: RuleKind, scope: Scope): Form => ({ kind, scope, pattern: '', intercept: emptyInterceptForm(kind === 'shaping' ? 'drop' : kind), up: emptyLink(), down: emptyLink(), consumerRate: '', consumerPaused: false, offline: '' });

/** The fields typed in, as numbers; none typed: no link settings at all. */
function linkInput(fields: Record<LinkField, string>): Record<string, number> | undefined {
  const typed = LINK_FIELDS.filter(({ field }) => fields[field].trim() !== '');
  if (typed.length === 0) return undefined;
  return Object.fromEntries(typed.map(({ field }) => [field, Number(fields[field])]));
}

/** The form as a checked rule, with the document it is limited to and its label. */
function readForm(form: Form, selected: SocketEntry | undefined): PanelRule {
  const { match, instance, label } = scopeOf(form.scope, form.pattern, selected);
  if (form.kind !== 'shaping') return { rule: readInterceptForm({ ...form.intercept, kind: form.kind }, match), instance, label };
  const input: Record<string, unknown> = { match };
  const up = linkInput(form.up);
  const down = linkInput(form.down);
  if (up) input.up = up;
  if (down) input.down = down;
  if (form.consumerRate.trim() !== '' || form.consumerPaused) {
    input.consumer = { paused: form.consumerPaused, ...(form.consumerRate.trim() !== '' && { messagesPerSecond: Number(form.consumerRate) }) };
  }
  if (form.offline) input.offline = form.offline;
  return { rule: readRule(input), instance, label };
}

/** What a rule does, in a line. */
export function describeRule(rule: Rule): string {
  const parts: string[] = [];
  const link = (arrow: string, settings: LinkSettings | null) => {
    if (!settings) return;
    const bits: string[] = [];
    if (settings.latencyMs) bits.push(`${settings.latencyMs} ms`);
    if (settings.jitterMs) bits.push(`± ${settings.jitterMs} ms`);
    if (settings.bytesPerSecond) bits.push(`${formatBytes(settings.bytesPerSecond)}/s`);
    if (settings.messagesPerSecond) bits.push(`${settings.messagesPerSecond} msg/s`);
    if (bits.length > 0) parts.push(`${arrow} ${bits.join(', ')}`);
  };
  link('↑', rule.up);
  link('↓', rule.down);
  if (rule.consumer?.paused) parts.push('consumer paused');
  else if (rule.consumer?.messagesPerSecond) parts.push(`consumer ${rule.consumer.messagesPerSecond} msg/s`);
  if (rule.offline === 'stall') parts.push('offline: stalled');
  if (rule.offline === 'drop') parts.push('offline: dropped (1006)');
  if (rule.offline === 'refuse') parts.push('offline: new connections refused');
  return parts.length > 0 ? parts.join(' · ') : 'no shaping (exempts what it matches from broader rules)';
}

/** The field a RuleError names first ("up.latencyMs must be…"), to mark its input. */
const fieldOf = (message: string): string => /^([a-z]+(?:\.[a-zA-Z]+)?)\b/.exec(message)?.[1] ?? '';

const matchText = (match: Match): string => JSON.stringify(match);

/** What any rule of the list does, in a line. */
const describeAny = (rule: unknown): string => (isInterceptInput(rule) ? describeIntercept(rule as PanelInterceptRule) : describeRule(rule as Rule));

export interface RuleEditorProps {
  rules: PanelRule[];
  onShape: (rules: PanelRule[]) => void;
  selected: SocketEntry | undefined;
  onClose: () => void;
}

export function RuleEditor({ rules, onShape, selected, onClose }: RuleEditorProps) {
  const dialog = useRef<HTMLDivElement>(null);
  useEffect(() => dialog.current?.querySelector('select')?.focus(), []);
  return (
    <div class="dialog-backdrop" onClick={(event) => event.target === event.currentTarget && onClose()}>
      <div
        ref={dialog}
        class="dialog"
        role="dialog"
        aria-modal="true"
        aria-label="Rules"
        data-testid="rule-editor"
        onKeyDown={(event) => event.key === 'Escape' && onClose()}
      >
        <h2>Rules</h2>
        <RuleList rules={rules} onShape={onShape} />
        <RulesFile rules={rules} onShape={onShape} />
        <RuleForm rules={rules} onShape={onShape} selected={selected} onClose={onClose} />
      </div>
    </div>
  );
}

/** The rules in force, each with a button that removes it. */
function RuleList({ rules, onShape }: Pick<RuleEditorProps, 'rules' | 'onShape'>) {
  if (rules.length === 0) return <p class="rule-none">No rules: every socket runs at the network's own pace, and every message goes through.</p>;
  return (
    <ol class="rule-list" data-testid="rule-list">
      {rules.map((entry, index) => (
        <li key={`${index}:${matchText((entry.rule as Rule).match)}`}>
          <span class="rule-label">{entry.label}</span>
          <span class="rule-summary">{describeAny(entry.rule)}</span>
          <button type="button" class="tool-button text-button" data-testid="rule-remove" onClick={() => onShape(rules.filter((_, i) => i !== index))}>
            Remove
          </button>
        </li>
      ))}
    </ol>
  );
}

/** Export and import of the whole list; an import replaces it only when every rule of the file reads. */
function RulesFile({ rules, onShape }: Pick<RuleEditorProps, 'rules' | 'onShape'>) {
  const [error, setError] = useState<string | null>(null);
  const documentOnly = documentOnlyCount(rules);
  const load = async (file: File) => {
    try {
      onShape(await importRulesFile(file));
      setError(null);
    } catch (thrown) {
      if (!(thrown instanceof RuleError)) throw thrown;
      setError(`${file.name}: ${thrown.message}`);
    }
  };
  return (
    <div class="rules-file">
      <button type="button" class="tool-button text-button" data-testid="rules-export" disabled={rules.length === 0} title="Save these rules as JSON: the file the Playwright helper's `rules` option takes" onClick={() => exportRulesFile(rules)}>
        Export…
      </button>
      <label class="tool-button text-button file-button" title="Replace these rules with a file's, for every socket of the tab">
        Import…
        <input
          type="file"
          accept=".json,application/json"
          data-testid="rules-import"
          onChange={onFileChosen((file) => void load(file))}
        />
      </label>
      {documentOnly > 0 && (
        <span class="rule-hint" data-testid="rules-document-only">
          {documentOnly === 1 ? '1 rule is' : `${documentOnly} rules are`} for one socket of this document: a file keeps the socket id, which names another socket after a reload.
        </span>
      )}
      {error !== null && (
        <p class="rule-error" role="alert" data-testid="rules-file-error">
          {oneLine(error, 300)}
        </p>
      )}
    </div>
  );
}

/** The form for another rule: added if it reads as a rule, else its message shown and the field it names marked. */
function RuleForm({ rules, onShape, selected, onClose }: RuleEditorProps) {
  const [form, setForm] = useState<Form>(() => emptyForm('shaping', 'all'));
  const [error, setError] = useState<string | null>(null);
  const update = (change: Partial<Form>) => setForm({ ...form, ...change });
  const add = (event: Event) => {
    event.preventDefault();
    try {
      if (rules.length >= MAX_RULES) throw new RuleError(`a tab has at most ${MAX_RULES} rules: remove one first`);
      onShape([...rules, readForm(form, selected)]);
      setError(null);
      setForm(emptyForm(form.kind, form.scope));
    } catch (thrown) {
      if (!(thrown instanceof RuleError)) throw thrown;
      setError(thrown.message);
    }
  };
  const invalid = error === null ? '' : fieldOf(error);
  return (
    <form class="rule-form" onSubmit={add}>
      <label>
        Rule
        <select data-testid="rule-kind" value={form.kind} onChange={(event) => update({ kind: (event.currentTarget as HTMLSelectElement).value as RuleKind })}>
          {(Object.keys(RULE_KINDS) as RuleKind[]).map((id) => (
            <option key={id} value={id}>
              {RULE_KINDS[id]}
            </option>
          ))}
        </select>
      </label>
      <ScopeFields form={form} update={update} selected={selected} invalid={invalid} />
      {form.kind === 'shaping' ? (
        <ShapingFields form={form} update={update} invalid={invalid} />
      ) : (
        <InterceptFields form={{ ...form.intercept, kind: form.kind }} invalid={invalid} onForm={(intercept) => update({ intercept })} />
      )}
      {error !== null && (
        <p class="rule-error" role="alert" data-testid="rule-error">
          {oneLine(error, 300)}
        </p>
      )}
      <div class="dialog-buttons">
        <button type="submit" class="primary-button" data-testid="rule-add">
          Add rule
        </button>
        <button type="button" class="text-button" data-testid="rule-done" onClick={onClose}>
          Done
        </button>
      </div>
    </form>
  );
}

/** A shaping rule's fields: each direction's link, the consumer, offline. */
function ShapingFields({ form, update, invalid }: Pick<ScopeFieldsProps, 'form' | 'update' | 'invalid'>) {
  return (
    <>
        <LinkFields direction="up" title="Up (page → server)" fields={form.up} invalid={invalid} onFields={(up) => update({ up })} />
        <LinkFields direction="down" title="Down (server → page)" fields={form.down} invalid={invalid} onFields={(down) => update({ down })} />
        <fieldset class="rule-link">
          <legend>Consumer (the page reading)</legend>
          <label>
            Messages/s
            <NumberInput name="consumer.messagesPerSecond" value={form.consumerRate} invalid={invalid} onValue={(consumerRate) => update({ consumerRate })} />
          </label>
          <label class="toolbar-switch">
            <input type="checkbox" data-testid="rule-consumer-paused" checked={form.consumerPaused} onChange={(event) => update({ consumerPaused: (event.currentTarget as HTMLInputElement).checked })} />
            Paused
          </label>
        </fieldset>
        <label>
          Offline
          <select data-testid="rule-offline" value={form.offline} onChange={(event) => update({ offline: (event.currentTarget as HTMLSelectElement).value as Form['offline'] })}>
            <option value="">No</option>
            <option value="stall">Stalled: nothing moves, the connection stays up</option>
            <option value="drop">Dropped: the page sees close 1006</option>
            <option value="refuse">Refused: new connections fail their handshake</option>
          </select>
        </label>
    </>
  );
}

interface ScopeFieldsProps {
  form: Form;
  update: (change: Partial<Form>) => void;
  selected: SocketEntry | undefined;
  /** The field the last error named. */
  invalid: string;
}

/** Which sockets the rule is for: every one, by URL (a text or a regex), or the selected one. */
function ScopeFields({ form, update, selected, invalid }: ScopeFieldsProps) {
  return (
    <>
      <label>
        Applies to
        <select data-testid="rule-scope" value={form.scope} onChange={(event) => update({ scope: (event.currentTarget as HTMLSelectElement).value as Scope })}>
          <option value="all">Every socket</option>
          <option value="url">URL contains</option>
          <option value="regex">URL matches regex</option>
          <option value="socket" disabled={!selected}>
            The selected socket{selected ? ` (#${selected.info.id})` : ''}
          </option>
        </select>
      </label>
      {(form.scope === 'url' || form.scope === 'regex') && (
        <input
          class="rule-pattern"
          data-testid="rule-pattern"
          name="match"
          aria-invalid={invalid === 'match' || invalid === 'match.value' || invalid === 'match.source'}
          placeholder={form.scope === 'url' ? '/feed' : '^wss://api\\.'}
          value={form.pattern}
          onInput={(event) => update({ pattern: (event.currentTarget as HTMLInputElement).value })}
        />
      )}
      {form.scope === 'socket' && <p class="rule-hint">For this socket only: it ends with the socket (a reload opens new ones).</p>}
    </>
  );
}

interface LinkFieldsProps {
  direction: 'up' | 'down';
  title: string;
  fields: Record<LinkField, string>;
  invalid: string;
  onFields: (fields: Record<LinkField, string>) => void;
}

/** One direction's link settings. */
function LinkFields({ direction, title, fields, invalid, onFields }: LinkFieldsProps) {
  return (
    <fieldset class="rule-link">
      <legend>{title}</legend>
      {LINK_FIELDS.map(({ field, label }) => (
        <label key={field}>
          {label}
          <NumberInput name={`${direction}.${field}`} value={fields[field]} invalid={invalid} onValue={(value) => onFields({ ...fields, [field]: value })} />
        </label>
      ))}
    </fieldset>
  );
}

/** A number as typed; `readRule` judges it. Named as the error messages name it. */
function NumberInput({ name, value, invalid, onValue }: { name: string; value: string; invalid: string; onValue: (value: string) => void }) {
  return (
    <input
      class="rule-number"
      inputMode="decimal"
      name={name}
      data-testid={`rule-${name}`}
      aria-invalid={invalid === name}
      value={value}
      placeholder="0"
      onInput={(event) => onValue((event.currentTarget as HTMLInputElement).value)}
    />
  );
}
