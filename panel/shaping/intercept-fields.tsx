// The rule editor's fields for an intercept rule: which messages (direction,
// content) and what is done to them (dropped, rewritten, answered).
import { FORMAT_LABELS, type ComposeFormat } from '../talk-back/composed-message';
import type { InterceptForm, PatternKind } from './intercept-form';

export interface InterceptFieldsProps {
  form: InterceptForm;
  onForm: (form: InterceptForm) => void;
  /** The field the last error named. */
  invalid: string;
}

const PATTERN_KINDS: Record<PatternKind, string> = { any: 'Any message', text: 'Text containing', regex: 'Text matching regex' };

const value = (event: Event) => (event.currentTarget as HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement).value;

export function InterceptFields({ form, onForm, invalid }: InterceptFieldsProps) {
  const update = (change: Partial<InterceptForm>) => onForm({ ...form, ...change });
  return (
    <fieldset class="rule-link rule-intercept">
      <legend>Messages</legend>
      <label>
        Direction
        <select data-testid="rule-direction" value={form.direction} onChange={(event) => update({ direction: value(event) as InterceptForm['direction'] })}>
          <option value="send">Sent by the page (↑)</option>
          <option value="receive">Received from the server (↓)</option>
        </select>
      </label>
      <PatternField name="data" label="Which" kinds={PATTERN_KINDS} kind={form.dataKind} text={form.data} flags={form.dataFlags} invalid={invalid} onChange={(dataKind, data, dataFlags) => update({ dataKind, data, dataFlags })} />
      {form.kind === 'rewrite' && (
        <>
          <PatternField
            name="find"
            label="Replace"
            kinds={{ text: PATTERN_KINDS.text, regex: PATTERN_KINDS.regex }}
            kind={form.findKind}
            text={form.find}
            flags={form.findFlags}
            invalid={invalid === 'action.replace' ? 'find' : invalid}
            onChange={(findKind, find, findFlags) => update({ findKind: findKind as InterceptForm['findKind'], find, findFlags })}
          />
          <label>
            With
            <input class="rule-pattern" data-testid="rule-replacement" value={form.replacement} placeholder="$1 and $<name> apply to a regex" onInput={(event) => update({ replacement: value(event) })} />
          </label>
        </>
      )}
      {form.kind === 'reply' && (
        <label>
          Reply
          <select data-testid="rule-reply-format" aria-label="Reply format" value={form.replyFormat} onChange={(event) => update({ replyFormat: value(event) as ComposeFormat })}>
            {(Object.keys(FORMAT_LABELS) as ComposeFormat[]).map((id) => (
              <option key={id} value={id}>
                {FORMAT_LABELS[id]}
              </option>
            ))}
          </select>
          <textarea class="rule-reply" data-testid="rule-reply" aria-invalid={invalid === 'action.reply'} value={form.reply} spellcheck={false} onInput={(event) => update({ reply: value(event) })} />
        </label>
      )}
    </fieldset>
  );
}

interface PatternFieldProps<K extends PatternKind> {
  name: string;
  label: string;
  kinds: Partial<Record<K, string>>;
  kind: K;
  text: string;
  flags: string;
  invalid: string;
  onChange: (kind: K, text: string, flags: string) => void;
}

/** A substring or a regex and its flags; `name` ties it to the errors that name it. */
function PatternField<K extends PatternKind>({ name, label, kinds, kind, text, flags, invalid, onChange }: PatternFieldProps<K>) {
  return (
    <label>
      {label}
      <select data-testid={`rule-${name}-kind`} value={kind} onChange={(event) => onChange(value(event) as K, text, flags)}>
        {(Object.keys(kinds) as K[]).map((id) => (
          <option key={id} value={id}>
            {kinds[id]}
          </option>
        ))}
      </select>
      {kind !== 'any' && (
        <>
          <input class="rule-pattern" data-testid={`rule-${name}`} aria-invalid={invalid === name} value={text} onInput={(event) => onChange(kind, value(event), flags)} />
          {kind === 'regex' && <input class="rule-flags" data-testid={`rule-${name}-flags`} aria-label="Flags" placeholder="flags" value={flags} onInput={(event) => onChange(kind, text, value(event))} />}
        </>
      )}
    </label>
  );
}
