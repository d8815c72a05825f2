import { closeDetail, countOf, formatCount, formatDuration, formatTime, oneLine, WORKER_NAMES } from '../model/format';
import { durationOf } from '../sockets/socket-order';
import { Messages, type MessagesProps } from '../messages/messages';
import { ShapingPane } from '../shaping/shaping-pane';
import type { InspectedTab } from '../model/inspected-tab';
import { HandshakeDetails } from './handshake-details';
import type { LogStore, SocketEntry } from '../model/store';
import { Breakpoints } from '../talk-back/breakpoints';
import { Composer } from '../talk-back/composer';
import { messageActions } from '../talk-back/message-actions';
import './socket-pane.css';

export type SocketView = 'messages' | 'shaping';

const FIELD_CHARS = 256;

/** Facts about the socket shown above its messages; only those that are known. */
function facts(entry: SocketEntry, store: LogStore): [label: string, value: string][] {
  const { info } = entry;
  const list: [string, string][] = [];
  if (info.closedAt !== null) {
    const clean = info.wasClean === null ? '' : info.wasClean ? ', clean' : ', unclean';
    list.push(['Closed', `${formatTime(info.closedAt)} (${closeDetail(info) || 'no code'}${clean})`]);
  }
  if (info.protocol) list.push(['Subprotocol', oneLine(info.protocol, FIELD_CHARS)]);
  else if (info.protocols.length > 0) list.push(['Requested', oneLine(info.protocols.join(', '), FIELD_CHARS)]);
  if (info.extensions) list.push(['Extensions', oneLine(info.extensions, FIELD_CHARS)]);
  if (info.provided) list.push(['Provided', 'on a WebSocket; receive backpressure simulated']);
  if (info.overStream) list.push(['Carried', 'over a WebSocketStream; receive backpressure real']);
  list.push(['Created', formatTime(info.createdAt)]);
  if (info.openedAt !== null) list.push(['Open for', formatDuration(durationOf(entry, Date.now()))]);
  // A worker's socket names the worker's script; a document's, its frame (the top document's URL is the page's).
  if (info.worker !== null) list.push(['Worker', `${WORKER_NAMES[info.worker]} · ${oneLine(info.frameUrl, FIELD_CHARS)}`]);
  else if (entry.frameId !== 0) list.push(['Frame', oneLine(info.frameUrl, FIELD_CHARS)]);
  if (entry.dropped > 0) list.push(['Dropped', `${formatCount(entry.dropped)} oldest`]);
  // Nothing lost silently: what the log lacks or holds in part is counted (docs/limits.md has the bounds).
  const notKept = store.notKept(entry);
  if (notKept > 0) list.push(['Not kept', `${countOf(notKept, 'message')}: the page let them go before they reached the panel`]);
  if (entry.cleared > 0) list.push(['Cleared', countOf(entry.cleared, 'message')]);
  if (entry.cut > 0) list.push(['Kept in part', `${countOf(entry.cut, 'message')}: only the start crossed from the page`]);
  return list;
}

export interface SocketPaneProps extends Omit<MessagesProps, 'entry'> {
  entry: SocketEntry;
  tab: InspectedTab;
  view: SocketView;
  onView: (view: SocketView) => void;
  /** A file's socket: its messages only, no live shaping. */
  readOnly: boolean;
}

const VIEWS: [SocketView, string][] = [
  ['messages', 'Messages'],
  ['shaping', 'Shaping'],
];

/** The selected socket: a summary line, then its messages or its shaping. */
export function SocketPane({ entry, tab, view, onView, readOnly, ...messages }: SocketPaneProps) {
  return (
    <section class="socket-pane" aria-label="Selected socket">
      <SocketSummary entry={entry} store={messages.store} />
      {!readOnly && <HandshakeDetails entry={entry} store={messages.store} />}
      {!readOnly && (
        <div class="view-tabs" role="tablist" aria-label="Socket view">
          {VIEWS.map(([id, label]) => (
            <button key={id} type="button" role="tab" class="view-tab" data-testid={`view-${id}`} aria-selected={view === id} onClick={() => onView(id)}>
              {label}
            </button>
          ))}
        </div>
      )}
      {readOnly ? (
        <Messages key={entry.key} entry={entry} {...messages} />
      ) : view === 'messages' ? (
        <>
          <Breakpoints key={entry.key} entry={entry} tab={tab} filter={messages.filter} />
          <Messages key={entry.key} entry={entry} actions={messageActions(tab, messages.store, entry)} {...messages} />
          <Composer key={entry.key} entry={entry} tab={tab} />
        </>
      ) : (
        <ShapingPane key={entry.key} entry={entry} tab={tab} />
      )}
    </section>
  );
}

/** The socket's URL and facts. Shown anew at every update, as how long it has been open moves on. */
function SocketSummary({ entry, store }: { entry: SocketEntry; store: LogStore }) {
  void store.updates.value;
  const url = oneLine(entry.info.url, FIELD_CHARS * 8);
  return (
    <div class="socket-summary">
      <span class="summary-url" title={url}>
        {url}
      </span>
      <span class="summary-facts">
        {facts(entry, store).map(([label, value]) => (
          <span class="summary-fact" data-testid="summary-fact" key={label}>
            <span class="summary-label">{label}</span> {value}
          </span>
        ))}
      </span>
    </div>
  );
}
