// The selected socket's composer: a message box, its format, where it goes
// (to the server as the page, or to the page as if from the server), Send
// (Ctrl/Cmd+Enter), what was sent before, and Close socket…. What the user
// typed is checked here first: a message the panel refuses is not sent.
import { useComputed, useSignal } from '@preact/signals';
import type { RefObject } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { InspectedTab } from '../model/inspected-tab';
import type { SocketEntry } from '../model/store';
import { formatBytes, oneLine } from '../model/format';
import { FORMAT_LABELS, formatChoices, prettyJson, readComposed } from './composed-message';
import { codecOf } from './decoded-edit';
import { pendingDraft, remember, sentDrafts, type ComposeTarget, type Draft } from './composer-state';
import { CloseSocket } from './close-socket';
import { notOpenReason } from './message-actions';
import './composer.css';

/** Focuses the composer from anywhere in the panel but a text field. DevTools leaves plain letters to the panel. */
export const COMPOSER_KEY = 'c';

const TARGET_LABELS: Record<ComposeTarget, string> = { send: 'Send as the page', inject: 'Deliver to the page' };
const TARGET_TITLES: Record<ComposeTarget, string> = {
  send: 'To the server, as if the page sent it',
  inject: 'To the page, as if the server sent it; the server sees nothing',
};
const HISTORY_CHARS = 80;

export function Composer({ entry, tab }: { entry: SocketEntry; tab: InspectedTab }) {
  const box = useRef<HTMLTextAreaElement>(null);
  // A signal, not state: Send reads what was typed or chosen last, even before the next render.
  const typed = useSignal<Draft>({ text: '', format: 'text', target: 'send' });
  const { text, format, target } = typed.value;
  const edit = (change: Partial<Draft>) => (typed.value = { ...typed.value, ...change });
  const [problem, setProblem] = useState<string | null>(null);
  const [sent, setSent] = useState<string | null>(null);
  const [closing, setClosing] = useState(false);
  // A refusal already there when the user last sent is not about that send.
  const [seenRefusal, setSeenRefusal] = useState(tab.refusal.value);
  // Shown anew when the socket opens or closes, not at each of its messages.
  const closedReason = useComputed(() => {
    void entry.version.value;
    return notOpenReason(entry);
  }).value;
  const refusal = tab.refusal.value;
  const refused = refusal && refusal.instance === entry.instance && refusal.socketId === entry.info.id && refusal !== seenRefusal ? refusal : null;

  const adopt = (draft: Draft) => {
    typed.value = draft;
    setProblem(null);
    setSent(null);
    box.current?.focus();
  };

  // "Edit and resend" hands a draft over.
  const draft = pendingDraft.value;
  useEffect(() => {
    if (!draft) return;
    pendingDraft.value = null;
    adopt(draft);
  }, [draft]);

  useFocusKey(box);

  const send = () => {
    if (closedReason) return;
    const { text, format, target } = typed.value;
    const composed = readComposed(text, format);
    if ('error' in composed) {
      setProblem(composed.error);
      return;
    }
    if (!tab.talk(entry, target, { data: composed.data })) {
      setProblem('Not connected to the page: try again in a moment');
      return;
    }
    setProblem(null);
    setSeenRefusal(tab.refusal.value);
    setSent(`${target === 'send' ? 'Sent' : 'Delivered'} ${formatBytes(composed.size)}`);
    remember({ text, format, target });
  };

  return (
    <section class="composer" aria-label="Composer" data-testid="composer">
      <textarea
        ref={box}
        class="composer-box"
        data-testid="composer-box"
        aria-label="Message"
        title={`Focus: ${COMPOSER_KEY.toUpperCase()}. Send: Ctrl/Cmd+Enter`}
        placeholder={`A message to ${target === 'send' ? 'send as the page' : 'deliver to the page'} (${COMPOSER_KEY.toUpperCase()} to focus, Ctrl/Cmd+Enter to send)`}
        spellcheck={false}
        value={text}
        aria-invalid={problem !== null}
        onInput={(event) => {
          edit({ text: event.currentTarget.value });
          setProblem(null);
          setSent(null);
        }}
        onKeyDown={onCtrlEnter(send)}
      />
      <div class="composer-bar">
        <Choice testId="composer-format" label="Format" labels={formatChoices(codecOf(entry.info), format)} value={format} onChoose={(format) => edit({ format })} />
        {format === 'json' && (
          <button
            type="button"
            class="text-button"
            data-testid="composer-pretty"
            onClick={() => {
              const read = readComposed(text, 'json');
              if ('error' in read) setProblem(read.error);
              else edit({ text: prettyJson(text) ?? text });
            }}
          >
            Pretty-print
          </button>
        )}
        <Choice testId="composer-target" label="Where it goes" title={TARGET_TITLES[target]} labels={TARGET_LABELS} value={target} onChoose={(target) => edit({ target })} />
        <button type="button" class="primary-button" data-testid="composer-send" disabled={closedReason !== null} title={closedReason ?? 'Ctrl/Cmd+Enter'} onClick={send}>
          Send
        </button>
        <History onPick={adopt} />
        <button type="button" class="text-button" data-testid="close-socket" disabled={closedReason !== null} title={closedReason ?? 'Close with a code and reason'} onClick={() => setClosing(true)}>
          Close socket…
        </button>
        <Status closed={closedReason} problem={problem} refused={refused?.reason ?? null} sent={sent} />
      </div>
      {closing && (
        <CloseSocket
          onClose={(code, reason) => {
            setSeenRefusal(tab.refusal.value);
            return tab.talk(entry, 'close', { code, reason });
          }}
          onDone={() => setClosing(false)}
        />
      )}
    </section>
  );
}

/** A key handler that runs `run` at Ctrl/Cmd+Enter. */
export const onCtrlEnter =
  (run: () => void) =>
  (event: KeyboardEvent): void => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      run();
    }
  };

/** Focuses `box` at COMPOSER_KEY pressed anywhere but in a field. */
function useFocusKey(box: RefObject<HTMLTextAreaElement | null>): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const typing = event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement || event.target instanceof HTMLSelectElement;
      if (event.key === COMPOSER_KEY && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
        event.preventDefault();
        box.current?.focus();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}

export interface ChoiceProps<T extends string> {
  testId: string;
  label: string;
  title?: string;
  /** The choices, in order; one left out is not offered. */
  labels: Partial<Record<T, string>>;
  value: T;
  disabled?: boolean;
  onChoose: (value: T) => void;
}

/** A select of `labels`' keys, shown by their labels. */
export function Choice<T extends string>({ testId, label, title, labels, value, disabled, onChoose }: ChoiceProps<T>) {
  return (
    <select data-testid={testId} aria-label={label} title={title} value={value} disabled={disabled} onChange={(event) => onChoose(event.currentTarget.value as T)}>
      {(Object.keys(labels) as T[]).map((id) => (
        <option key={id} value={id}>
          {labels[id]}
        </option>
      ))}
    </select>
  );
}

/** What was sent from the composer: picking one puts it back in the box. */
function History({ onPick }: { onPick: (draft: Draft) => void }) {
  const drafts = sentDrafts.value;
  if (drafts.length === 0) return null;
  return (
    <select
      data-testid="composer-history"
      aria-label="Sent before"
      value=""
      onChange={(event) => {
        const picked = drafts[Number(event.currentTarget.value)];
        if (picked) onPick(picked);
      }}
    >
      <option value="">History…</option>
      {drafts.map((d, i) => (
        <option key={i} value={i}>
          {`${d.target === 'send' ? '↑' : '↓'} ${FORMAT_LABELS[d.format]}: ${oneLine(d.text, HISTORY_CHARS)}`}
        </option>
      ))}
    </select>
  );
}

interface StatusProps {
  /** Why nothing can be sent now. */
  closed: string | null;
  /** What is wrong with the message typed. */
  problem: string | null;
  /** The shim's reason for refusing the last operation. */
  refused: string | null;
  /** What the last send did. */
  sent: string | null;
}

function Status({ closed, problem, refused, sent }: StatusProps) {
  return (
    <span class="composer-status" role="status" data-testid="composer-status">
      {closed ??
        (problem !== null ? (
          <span class="composer-error" data-testid="composer-error">
            {problem}
          </span>
        ) : refused !== null ? (
          <span class="composer-error" data-testid="composer-refused">
            Refused in the page: {oneLine(refused, 300)}
          </span>
        ) : (
          sent
        ))}
    </span>
  );
}
