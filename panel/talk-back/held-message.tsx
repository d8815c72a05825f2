// The message a breakpoint holds on the selected socket, oldest first, at the
// top of its view: its data in the composer's formats to edit, and Forward
// (as it is), Forward edited, Drop, Continue all. Its data comes from the page
// or the server and is only ever shown as text (a textarea's value).
import { useState } from 'preact/hooks';
import type { WireHeld } from '../../shim/wire/messages';
import { formatBytes } from '../model/format';
import type { InspectedTab } from '../model/inspected-tab';
import type { SocketEntry } from '../model/store';
import { editableForm, formatChoices, readComposed } from './composed-message';
import { codecOf } from './decoded-edit';
import { Choice, onCtrlEnter } from './composer';
import { notEditableReason } from './breakpoint-form';

export interface HeldMessageProps {
  entry: SocketEntry;
  tab: InspectedTab;
  /** The first message held on the socket; mount with its id as key, so that the editor starts anew with each. */
  held: WireHeld;
  /** Held on the socket behind it. */
  behind: number;
  onContinueAll: () => void;
}

const DIRECTION_TEXT = { send: '↑ A send, held before the server has it', receive: '↓ A received message, held before the page has it' };

export function HeldMessage({ entry, tab, held, behind, onContinueAll }: HeldMessageProps) {
  const [edited, setEdited] = useState(() => editableForm(held, codecOf(entry.info)));
  const [problem, setProblem] = useState<string | null>(null);
  // Let go: the page says so soon; meanwhile it is not let go twice.
  const [released, setReleased] = useState(false);
  const locked = notEditableReason(held);

  const release = (change: Parameters<InspectedTab['release']>[2]) => {
    if (tab.release(entry.instance, held.id, change)) setReleased(true);
    else setProblem('Not connected to the page: try again in a moment');
  };
  const forwardEdited = () => {
    if (locked || released) return;
    const composed = readComposed(edited.text, edited.format);
    if ('error' in composed) setProblem(composed.error);
    else release({ data: composed.data, drop: false });
  };

  return (
    <section class="held-message" aria-label="Paused message" data-testid="held-message">
      <div class="held-head" role="status">
        <strong>Paused</strong> <span data-testid="held-direction">{DIRECTION_TEXT[held.direction]}</span> · {held.type} · {formatBytes(held.size)}
        {behind > 0 && <span data-testid="held-behind"> · {behind} more held on this socket</span>}
      </div>
      <textarea
        class="composer-box held-box"
        data-testid="held-box"
        aria-label="Paused message data"
        spellcheck={false}
        readOnly={locked !== null}
        aria-invalid={problem !== null}
        value={edited.text}
        onInput={(event) => {
          setEdited({ ...edited, text: event.currentTarget.value });
          setProblem(null);
        }}
        onKeyDown={onCtrlEnter(forwardEdited)}
      />
      <div class="held-bar">
        <Choice testId="held-format" label="Format" labels={formatChoices(codecOf(entry.info), edited.format)} value={edited.format} disabled={locked !== null} onChoose={(format) => setEdited({ ...edited, format })} />
        <button type="button" class="primary-button" data-testid="held-forward" disabled={released} title="Let it go as it is" onClick={() => release({ data: null, drop: false })}>
          Forward
        </button>
        <button type="button" class="text-button" data-testid="held-forward-edited" disabled={locked !== null || released} title={locked ?? 'Let it go as edited (Ctrl/Cmd+Enter)'} onClick={forwardEdited}>
          Forward edited
        </button>
        <button type="button" class="text-button" data-testid="held-drop" disabled={released} title="It goes no further" onClick={() => release({ data: null, drop: true })}>
          Drop
        </button>
        <button type="button" class="text-button" data-testid="held-continue-all" title="Let every held message go as it is and remove every breakpoint" onClick={onContinueAll}>
          Continue all
        </button>
        <span class="held-status" role="status" data-testid="held-status">
          {problem !== null ? (
            <span class="composer-error" data-testid="held-error">
              {problem}
            </span>
          ) : released ? (
            'Let go…'
          ) : (
            locked
          )}
        </span>
      </div>
    </section>
  );
}
