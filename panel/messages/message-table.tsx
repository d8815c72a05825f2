import { memo } from 'preact/compat';
import { useState } from 'preact/hooks';
import { matchRanges, type Query } from '../search/message-filter';
import type { LoggedMessage } from '../model/message-log';
import { formatBytes, formatTime, messagePreview } from '../model/format';
import { useRowWindow } from './row-window';
import type { MessageList } from '../model/store';
import { MARKS } from '../model/marks';
import './message-table.css';

/** Fixed heights. Keep in sync with message-table.css. */
const ROW_PX = 20;
const HEADER_PX = 22;

const DIRECTION = {
  send: { arrow: '↑', label: 'Sent' },
  receive: { arrow: '↓', label: 'Received' },
} as const;

export interface MessageTableProps {
  messages: MessageList;
  /** Matches to highlight in each row's preview. */
  query: Query;
  /** What an empty table says. */
  empty: string;
  /** The log index of the selected message, if any. */
  selected: number | null;
  onSelect: (index: number) => void;
  /** Enter on the selected message, or a click on a row: show it in full. */
  onOpen: (index: number) => void;
  onClose: () => void;
  /** Given when the messages are of several sockets: each row names its socket (a URL). */
  socketOf?: (socket: number) => string;
}

const STEP: Record<string, (position: number, count: number) => number> = {
  ArrowDown: (p, n) => Math.min(p + 1, n - 1),
  ArrowUp: (p) => Math.max(p - 1, 0),
  Home: () => 0,
  End: (_, n) => n - 1,
};

/**
 * The selected socket's messages, oldest first. Follows the tail while the view
 * is scrolled to the bottom; scrolling up stops that until the user scrolls
 * back down or jumps to the latest. Mount one per socket (key it).
 */
export function MessageTable({ messages, query, empty, selected, onSelect, onOpen, onClose, socketOf }: MessageTableProps) {
  const [following, setFollowing] = useState(true);
  const count = messages.length;
  const rows = useRowWindow({ count, rowPx: ROW_PX, paddingStart: HEADER_PX, overscan: 6, pinned: following, onScrolled: setFollowing });
  const visible: LoggedMessage[] = [];
  for (let i = rows.start; i < rows.end; i++) visible.push(messages.at(i) as LoggedMessage);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') return onClose();
    if (event.key === 'Enter' && selected !== null) return onOpen(selected);
    const step = STEP[event.key];
    if (!step || count === 0) return;
    event.preventDefault();
    const current = selected === null ? -1 : messages.positionOf(selected);
    const position = current < 0 ? (event.key === 'ArrowUp' ? count - 1 : 0) : step(current, count);
    const message = messages.at(position);
    if (!message) return;
    onSelect(message.index);
    rows.reveal(position);
    setFollowing(position === count - 1);
  };

  return (
    <div class="message-table-wrap">
      <div
        ref={rows.ref}
        class="message-table"
        role="table"
        aria-label="Messages"
        aria-rowcount={count + 1}
        data-testid="message-table"
        tabIndex={0}
        onScroll={rows.onScroll}
        onKeyDown={onKeyDown}
      >
        <div class="virtual-space" role="rowgroup" style={{ height: `${rows.total}px` }}>
          <div class="message-header" role="row" aria-rowindex={1}>
            <span class="cell cell-dir" role="columnheader">
              <span class="sr-only">Direction</span>
            </span>
            {socketOf && (
              <span class="cell cell-socket" role="columnheader">
                Socket
              </span>
            )}
            <span class="cell cell-data" role="columnheader">Data</span>
            <span class="cell cell-type" role="columnheader">Type</span>
            <span class="cell cell-size" role="columnheader">Size</span>
            <span class="cell cell-time" role="columnheader">Time</span>
          </div>
          {visible.map((message, i) => (
            <MessageRow
              // By place in the window, not by message: while tailing every visible message is new at each
              // update, and rows that keep their elements only change text (no elements made, styled, dropped).
              key={(rows.start + i) % visible.length}
              message={message}
              position={rows.start + i}
              top={rows.rowTop(rows.start + i)}
              query={query}
              selected={message.index === selected}
              onOpen={onOpen}
              socket={socketOf?.(message.socket)}
            />
          ))}
        </div>
        {count === 0 && <p class="table-empty">{empty}</p>}
      </div>
      {!following && count > 0 && (
        <button type="button" class="jump-latest" data-testid="jump-latest" onClick={() => setFollowing(true)}>
          ↓ Latest
        </button>
      )}
    </div>
  );
}

interface MessageRowProps {
  message: LoggedMessage;
  /** Its row among the socket's messages. */
  position: number;
  top: number;
  query: Query;
  selected: boolean;
  onOpen: (index: number) => void;
  /** The message's socket, when the table shows several. */
  socket: string | undefined;
}

/** Rows read their message from the log on every render: the same message (index), place and payload need no new row. */
const sameRow = (a: MessageRowProps, b: MessageRowProps): boolean =>
  a.message.index === b.message.index &&
  a.position === b.position &&
  a.top === b.top &&
  a.message.previewOnly === b.message.previewOnly &&
  a.query === b.query &&
  a.selected === b.selected &&
  a.socket === b.socket;

const MessageRow = memo(function MessageRow({ message, position, top, query, selected, onOpen, socket }: MessageRowProps) {
  const direction = DIRECTION[message.direction];
  const preview = messagePreview(message);
  return (
    <div
      class={`message-row message-${message.direction}${selected ? ' selected' : ''}`}
      role="row"
      aria-rowindex={position + 2}
      aria-selected={selected}
      onClick={() => onOpen(message.index)}
      data-testid="message-row"
      style={{ transform: `translateY(${top}px)` }}
    >
      <span class="cell cell-dir" role="cell" title={direction.label}>
        <span aria-hidden="true">{direction.arrow}</span>
        <span class="sr-only">{direction.label}</span>
      </span>
      {socket !== undefined && (
        <span class="cell cell-socket" role="cell" title={socket} data-testid="message-socket">
          {socket}
        </span>
      )}
      <span class={`cell cell-data data-${preview.kind}`} role="cell">
        {message.mark && (
          <span class="mark-badge" data-testid="message-mark" title={MARKS[message.mark].title}>
            {MARKS[message.mark].badge}
          </span>
        )}
        {preview.kind === 'text' ? <Highlighted text={preview.text} query={query} /> : preview.text}
      </span>
      <span class="cell cell-type" role="cell">
        {message.type}
      </span>
      <span class="cell cell-size" role="cell">
        {formatBytes(message.size)}
      </span>
      <span class="cell cell-time" role="cell">
        {formatTime(message.time)}
      </span>
    </div>
  );
}, sameRow);

/** Text with the query's matches marked; as text nodes only, whatever the payload holds. */
function Highlighted({ text, query }: { text: string; query: Query }) {
  const ranges = matchRanges(query, text);
  if (ranges.length === 0) return <>{text}</>;
  const parts = [];
  let at = 0;
  for (const [start, end] of ranges) {
    if (start > at) parts.push(text.slice(at, start));
    parts.push(<mark key={start}>{text.slice(start, end)}</mark>);
    at = end;
  }
  if (at < text.length) parts.push(text.slice(at));
  return <>{parts}</>;
}
