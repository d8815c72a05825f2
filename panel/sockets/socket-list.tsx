import type { ReadonlySignal } from '@preact/signals';
import { memo } from 'preact/compat';
import { closeDetail, formatBytes, formatCount, formatDuration, oneLine, STATE_NAMES, WORKER_NAMES } from '../model/format';
import { useRowWindow } from '../messages/row-window';
import type { LogStore, SocketEntry } from '../model/store';
import './socket-list.css';

/** Fixed row height. Keep in sync with .socket-row in socket-list.css. */
const ROW_PX = 40;
/** URLs are bounded by the wire contract (16 Ki characters); this bounds what one row renders. */
const URL_CHARS = 2048;

export interface SocketListProps {
  store: LogStore;
  /** The sockets shown, in their order. */
  shown: ReadonlySignal<readonly SocketEntry[]>;
  selected: ReadonlySignal<SocketEntry | undefined>;
  onSelect: (key: string) => void;
}

const rowId = (entry: SocketEntry): string => `socket-${entry.instance}-${entry.info.id}`;

const NEXT_INDEX: Record<string, (index: number, count: number) => number> = {
  ArrowDown: (i, n) => Math.min(i + 1, n - 1),
  ArrowUp: (i) => Math.max(i - 1, 0),
  Home: () => 0,
  End: (_, n) => n - 1,
};

/** The list re-renders when the sockets shown or the selection change; each row, when its socket does. */
export function SocketList({ store, shown, selected: selection, onSelect }: SocketListProps) {
  const sockets = shown.value;
  const selected = selection.value;
  // The current page's number: sockets seen before it are marked.
  const { page } = store;
  const rows = useRowWindow({ count: sockets.length, rowPx: ROW_PX, overscan: 4 });
  const selectedIndex = selected ? sockets.indexOf(selected) : -1;

  const onKeyDown = (event: KeyboardEvent) => {
    const next = NEXT_INDEX[event.key];
    if (!next || sockets.length === 0) return;
    event.preventDefault();
    const index = next(selectedIndex, sockets.length);
    onSelect(sockets[index].key);
    rows.reveal(index);
  };

  return (
    <div
      ref={rows.ref}
      class="socket-list"
      role="listbox"
      aria-label="WebSockets"
      aria-activedescendant={selected ? rowId(selected) : undefined}
      tabIndex={0}
      data-testid="socket-list"
      onKeyDown={onKeyDown}
      onScroll={rows.onScroll}
    >
      <div class="virtual-space" style={{ height: `${rows.total}px` }}>
        {sockets.slice(rows.start, rows.end).map((entry, i) => {
          return (
            <SocketRow
              key={entry.key}
              entry={entry}
              earlier={entry.page < page}
              selected={entry === selected}
              top={rows.rowTop(rows.start + i)}
              onSelect={onSelect}
            />
          );
        })}
      </div>
    </div>
  );
}

interface SocketRowProps {
  entry: SocketEntry;
  /** Seen before the page was reloaded or navigated (with Preserve log on). */
  earlier: boolean;
  selected: boolean;
  top: number;
  onSelect: (key: string) => void;
}

const SocketRow = memo(function SocketRow({ entry, earlier, selected, top, onSelect }: SocketRowProps) {
  // Reading the socket's version re-renders this row, and no other, when its socket changes.
  void entry.version.value;
  const { info } = entry;
  const state = STATE_NAMES[info.readyState];
  const close = closeDetail(info);
  const url = oneLine(info.url, URL_CHARS);
  return (
    <div
      id={rowId(entry)}
      role="option"
      aria-selected={selected}
      data-testid="socket-row"
      class={`socket-row${selected ? ' selected' : ''}`}
      style={{ transform: `translateY(${top}px)` }}
      onClick={() => onSelect(entry.key)}
    >
      <div class="socket-line">
        <span class={`state-dot state-${state.toLowerCase()}${info.error ? ' state-error' : ''}`} aria-hidden="true" />
        <span class="socket-url" title={url}>
          {url}
        </span>
      </div>
      <div class="socket-line socket-meta">
        <span class={`socket-state state-${state.toLowerCase()}`}>{state}</span>
        {close && (
          <span class="socket-close" title={info.wasClean === false ? 'Closed uncleanly' : 'Close code and reason'}>
            {close}
          </span>
        )}
        {info.closedAt !== null && info.openedAt !== null && (
          <span class="socket-duration" title="Open for">
            {formatDuration(info.closedAt - info.openedAt)}
          </span>
        )}
        {info.error && <span class="badge badge-error">error</span>}
        {earlier && (
          <span class="badge" data-testid="earlier-badge" title="From before the page was reloaded or navigated: its messages are from then">
            earlier page
          </span>
        )}
        <span class="badge">{info.kind}</span>
        {info.shaped && (
          <span class="badge badge-shaped" data-testid="shaped-badge" title="A shaping rule applies to this socket">
            shaped
          </span>
        )}
        {info.overStream && (
          <span class="badge" data-testid="over-stream-badge" title="Carried over a WebSocketStream: a slow consumer holds the server back">
            over stream
          </span>
        )}
        {info.provided && (
          <span class="badge" data-testid="provided-badge" title="Provided by Sockscope on a WebSocket: receive backpressure is simulated">
            provided
          </span>
        )}
        {info.worker !== null && (
          <span class="badge" data-testid="worker-badge" title={`In a ${WORKER_NAMES[info.worker]}: ${oneLine(info.frameUrl, URL_CHARS)}`}>
            {info.worker} worker
          </span>
        )}
        {entry.frameId !== 0 && (
          <span class="badge" title={info.worker === null ? `In a frame: ${oneLine(info.frameUrl, URL_CHARS)}` : 'Started from a frame'}>
            iframe
          </span>
        )}
        <span class="socket-traffic" title="Messages and bytes sent / received">
          <span class="dir-send" aria-hidden="true">↑</span>
          <span class="sr-only">sent </span>
          {formatCount(info.sent)} · {formatBytes(info.sentBytes)}
          <span class="dir-receive" aria-hidden="true">↓</span>
          <span class="sr-only">received </span>
          {formatCount(info.received)} · {formatBytes(info.receivedBytes)}
        </span>
      </div>
    </div>
  );
});
