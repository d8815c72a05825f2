// The messages table's filter: toggles for direction, type and heartbeats (the
// user's own heartbeat patterns too), a query box (text, or /regex/), the
// scope (this socket or all), the active parts as removable chips, and how
// many messages show of how many. `/` focuses the box; Ctrl/Cmd+K clears the
// filter (the user's patterns stay: they are settings).
import { useEffect, useRef, useState } from 'preact/hooks';
import { NO_FILTER, type MessageFilter } from './message-filter';
import { countOf, formatCount, oneLine } from '../model/format';
import './filter-bar.css';

export interface FilterBarProps {
  filter: MessageFilter;
  onFilter: (filter: MessageFilter) => void;
  shown: number;
  total: number;
  /** Messages still being searched: older ones (a large log's, by a worker), long ones in full. */
  searching: { older: number; long: number };
  /** Why the query or a pattern does not compile, if it does not. */
  error: string | null;
  /** Saves the messages shown as JSON Lines. */
  onExport: () => void;
}

type Toggle = 'send' | 'receive' | 'text' | 'binary';

const TOGGLES: { key: Toggle; label: string; hidden: string }[] = [
  { key: 'send', label: '↑ Sent', hidden: 'Sent hidden' },
  { key: 'receive', label: '↓ Received', hidden: 'Received hidden' },
  { key: 'text', label: 'Text', hidden: 'Text hidden' },
  { key: 'binary', label: 'Binary', hidden: 'Binary hidden' },
];

/** The active parts of a filter, each with what removing it leaves. */
function chips(filter: MessageFilter): { id: string; label: string; without: MessageFilter }[] {
  const list: { id: string; label: string; without: MessageFilter }[] = TOGGLES.filter(({ key }) => !filter[key]).map(({ key, hidden }) => ({ id: key, label: hidden, without: { ...filter, [key]: true } }));
  if (filter.hideControl) list.push({ id: 'control', label: 'Heartbeats hidden', without: { ...filter, hideControl: false } });
  if (filter.allSockets) list.push({ id: 'scope', label: 'All sockets', without: { ...filter, allSockets: false } });
  if (filter.query) list.push({ id: 'query', label: `Matching ${oneLine(filter.query, 40)}`, without: { ...filter, query: '' } });
  return list;
}

export function FilterBar({ filter, onFilter, shown, total, searching, error, onExport }: FilterBarProps) {
  const input = useRef<HTMLInputElement>(null);
  const latest = useRef({ filter, onFilter });
  latest.current = { filter, onFilter };
  const [editingPatterns, setEditingPatterns] = useState(false);
  // The box's own text: a line being typed may be blank for now.
  const [patternsText, setPatternsText] = useState(() => filter.controlPatterns.join('\n'));

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const typing = event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement || event.target instanceof HTMLSelectElement;
      if (event.key === '/' && !typing) {
        event.preventDefault();
        input.current?.focus();
      } else if (event.key.toLowerCase() === 'k' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        const { filter: current, onFilter: set } = latest.current;
        set({ ...NO_FILTER, controlPatterns: current.controlPatterns });
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div class="filter-bar" role="search" aria-label="Filter messages">
      <input
        ref={input}
        class="filter-query"
        type="search"
        data-testid="filter-query"
        placeholder="Filter: text or /regex/  (/)"
        aria-invalid={error !== null}
        value={filter.query}
        onInput={(event) => onFilter({ ...filter, query: (event.currentTarget as HTMLInputElement).value })}
      />
      {TOGGLES.map(({ key, label }) => (
        <button
          key={key}
          type="button"
          class="filter-toggle"
          data-testid={`filter-${key}`}
          aria-pressed={filter[key]}
          onClick={() => onFilter({ ...filter, [key]: !filter[key] })}
        >
          {label}
        </button>
      ))}
      <label class="toolbar-switch" title="Hide ping/pong, keep-alive and heartbeat messages of common protocols">
        <input type="checkbox" data-testid="filter-control" checked={filter.hideControl} onChange={() => onFilter({ ...filter, hideControl: !filter.hideControl })} />
        Hide heartbeats
      </label>
      <button
        type="button"
        class="text-button"
        data-testid="filter-patterns-edit"
        aria-expanded={editingPatterns}
        title="Your own heartbeat patterns, hidden with the common ones"
        onClick={() => setEditingPatterns(!editingPatterns)}
      >
        Patterns{filter.controlPatterns.length > 0 ? ` (${filter.controlPatterns.length})` : ''}…
      </button>
      <button
        type="button"
        class="filter-toggle"
        data-testid="filter-all-sockets"
        aria-pressed={filter.allSockets}
        title="Show the matching messages of every socket, not only this one's"
        onClick={() => onFilter({ ...filter, allSockets: !filter.allSockets })}
      >
        All sockets
      </button>
      {chips(filter).map((chip) => (
        <button key={chip.id} type="button" class="filter-chip" data-testid="filter-chip" title="Remove this filter" onClick={() => onFilter(chip.without)}>
          {chip.label} ×
        </button>
      ))}
      <span class="filter-count" data-testid="filter-count">
        {shown === total ? formatCount(total) : `${formatCount(shown)} of ${formatCount(total)}`}
      </span>
      {(searching.older > 0 || searching.long > 0) && (
        <span class="filter-searching" role="status" data-testid="filter-searching">
          searching {searching.older > 0 ? countOf(searching.older, 'older message') : `${countOf(searching.long, 'long message')} in full`}…
        </span>
      )}
      <button type="button" class="text-button" data-testid="export-jsonl" title="Save the messages shown as JSON Lines" onClick={onExport}>
        Export
      </button>
      {error !== null && (
        <span class="filter-error" role="alert" data-testid="filter-error">
          {oneLine(error, 200)}
        </span>
      )}
      {editingPatterns && (
        <label class="filter-patterns">
          Heartbeat patterns, one regular expression per line (hidden with “Hide heartbeats”)
          <textarea
            data-testid="filter-patterns"
            rows={3}
            spellcheck={false}
            placeholder={'^\\{"op":"hb"\\}$'}
            value={patternsText}
            onInput={(event) => {
              const text = (event.currentTarget as HTMLTextAreaElement).value;
              setPatternsText(text);
              onFilter({ ...filter, controlPatterns: readPatterns(text) });
            }}
          />
        </label>
      )}
    </div>
  );
}

/** The patterns box: one pattern per line, blank lines skipped. */
const readPatterns = (text: string): string[] => text.split('\n').filter((line) => line.trim() !== '');
