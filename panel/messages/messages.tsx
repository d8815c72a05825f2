// A socket's messages: the filter bar over its messages table. The filter is
// the panel's (it stays as the user moves between sockets); the table shows
// the messages it lets through, with the query's matches highlighted, of this
// socket or, scoped to all sockets, of every one (each row naming its own).
import { effect } from '@preact/signals';
import { useEffect, useLayoutEffect, useMemo, useState } from 'preact/hooks';
import { MessageDetail } from '../detail/message-detail';
import { FilterBar } from '../search/filter-bar';
import { compileFilter, FilterError, isNoFilter, readQuery, SHOWN, type CompiledFilter, type MessageFilter, type Query } from '../search/message-filter';
import type { MessageLog, LoggedMessage } from '../model/message-log';
import { MessageTable } from './message-table';
import { MessageView } from '../search/message-view';
import type { SplitSearch } from '../search/split-search';
import { exportJsonLines } from '../files/log-files';
import { detectProtocol, PROTOCOL_CHOICES, protocolLabel, type ProtocolId, type RawMessage } from '../decoders/decoders';
import type { LogStore, SocketEntry } from '../model/store';
import type { MessageActions } from '../talk-back/message-actions';
import './messages.css';

export interface MessagesProps {
  entry: SocketEntry;
  store: LogStore;
  /** Searches the older part of a large log on another core. */
  search: SplitSearch;
  filter: MessageFilter;
  onFilter: (filter: MessageFilter) => void;
  /** The user's choice of protocol for this socket: undefined for the detected one, null for none. */
  protocol: ProtocolId | null | undefined;
  onProtocol: (protocol: ProtocolId | null | undefined) => void;
  /** Resend and Edit and resend; absent for a file's messages. */
  actions?: MessageActions;
}

/** Messages that protocol detection looks at: a protocol's first messages give it away. */
const DETECTION_MESSAGES = 5;

/** The socket's first messages: they give its protocol away, and a session's settings (MQTT's level). */
const firstMessages = (entry: SocketEntry, count: number): RawMessage[] => Array.from({ length: count }, (_, i) => entry.messages.at(i) as RawMessage);

const EVERY_MESSAGE: CompiledFilter = { test: () => SHOWN, deep: () => true };
/** Time a slice of searching full payloads may take, then the panel renders and takes input. */
const SETTLE_SLICE_MS = 8;

/** A socket as a message row names it: its URL's path and query (the host is mostly the page's own). */
function socketName(url: string): string {
  try {
    const { pathname, search } = new URL(url);
    return `${pathname}${search}`;
  } catch {
    return url;
  }
}

interface Compiled {
  test: CompiledFilter | null;
  query: Query;
  error: string | null;
}

function compile(filter: MessageFilter, log: MessageLog): Compiled {
  if (isNoFilter(filter)) return { test: null, query: { kind: 'none' }, error: null };
  try {
    return { test: compileFilter(filter, log), query: readQuery(filter.query), error: null };
  } catch (error) {
    if (!(error instanceof FilterError)) throw error;
    // A query being typed may not compile yet: say why, and show the messages unfiltered meanwhile.
    return { test: null, query: { kind: 'none' }, error: error.message };
  }
}

export function Messages({ entry, store, search, filter, onFilter, protocol, onProtocol, actions }: MessagesProps) {
  const log = store.messageLog;
  const { allSockets } = filter;
  // Shown anew when the socket's messages change or, with every socket's shown, when any do.
  void (allSockets ? store.updates : entry.version).value;
  const seen = Math.min(entry.messages.length, DETECTION_MESSAGES);
  const session = useMemo(() => firstMessages(entry, seen), [entry, seen]);
  const detected = useMemo(() => detectProtocol(entry.info, session), [entry, entry.info.protocol, session]);
  const applied = protocol === undefined ? detected : protocol;
  const compiled = useMemo(() => compile(filter, log), [filter, log]);
  const view = useMemo(() => {
    const socket = allSockets ? null : entry.number;
    if (!compiled.test) return allSockets ? new MessageView(log, socket, EVERY_MESSAGE) : null;
    return new MessageView(log, socket, compiled.test, search.searchOlder(filter, socket));
  }, [compiled, allSockets, entry, log, search]);
  // The view tests the messages that arrived, as soon as they are filed, so that it is in step with the log whenever it renders.
  useLayoutEffect(() => {
    if (!view) return;
    return effect(() => {
      void store.changes.value;
      view.refresh();
    });
  }, [view, store]);
  const unsettled = view?.unsettledCount ?? 0;
  const [, setSettled] = useState(0);
  // The older part of a large log, searched with the worker, shows when it is done; a view no longer shown stops searching.
  useEffect(() => {
    let current = true;
    void view?.complete.then(() => current && setSettled((slices) => slices + 1));
    return () => {
      current = false;
      view?.close();
    };
  }, [view]);
  // Long messages the previews could not settle: searched in full a slice at a time, each slice shown as it ends.
  useEffect(() => {
    if (!view || unsettled === 0) return;
    const timer = setTimeout(() => {
      view.settle(performance.now() + SETTLE_SLICE_MS);
      setSettled((slices) => slices + 1);
    }, 0);
    return () => clearTimeout(timer);
  });
  const messages = view ?? entry.messages;
  const ownerOf = (number: number) => (number === entry.number ? entry : store.socketByNumber(number));
  const urlOf = (message: LoggedMessage) => ownerOf(message.socket)?.info.url ?? '';
  const empty = view ? 'No messages match the filter' : entry.info.readyState === 3 ? 'No messages' : 'No messages yet';
  const [selected, setSelected] = useState<number | null>(null);
  const [open, setOpen] = useState(false);
  // A selection the filter hides or the log let go shows no detail.
  const position = selected === null ? -1 : messages.positionOf(selected);
  const detail = open && position >= 0 ? messages.at(position) : undefined;
  // A message of another socket (all sockets shown) is read in its own socket's terms: its open time, its detected protocol.
  const owner = detail ? ownerOf(detail.socket) : undefined;
  const ownerSeen = owner ? Math.min(owner.messages.length, DETECTION_MESSAGES) : 0;
  const ownerSession = useMemo(() => (owner === entry ? session : owner ? firstMessages(owner, ownerSeen) : []), [owner, entry, ownerSeen, session]);
  const ownerProtocol = useMemo(() => (owner === entry ? applied : owner ? detectProtocol(owner.info, ownerSession) : null), [owner, entry, applied, ownerSession]);
  const openMessage = (index: number) => {
    setSelected(index);
    setOpen(true);
  };
  return (
    <>
      <FilterBar
        filter={filter}
        onFilter={onFilter}
        shown={messages.length}
        total={allSockets ? log.length : entry.messages.length}
        searching={{ older: view?.olderCount ?? 0, long: unsettled }}
        error={compiled.error}
        onExport={() => exportJsonLines(urlOf, messages)}
      />
      <ProtocolChoice detected={detected} chosen={protocol} onChoose={onProtocol} />
      <MessageTable
        key={entry.key}
        messages={messages}
        query={compiled.query}
        empty={empty}
        selected={selected}
        onSelect={setSelected}
        onOpen={openMessage}
        onClose={() => setOpen(false)}
        socketOf={allSockets ? (number) => socketName(ownerOf(number)?.info.url ?? 'a socket cleared from the list') : undefined}
      />
      {detail && (
        <MessageDetail
          key={detail.index}
          message={detail}
          position={position}
          openedAt={owner?.info.openedAt ?? null}
          protocol={ownerProtocol}
          session={ownerSession}
          onClose={() => setOpen(false)}
          actions={actions}
        />
      )}
    </>
  );
}

/** The socket's protocol: the detected one (the default), another, or none. */
function ProtocolChoice({ detected, chosen, onChoose }: { detected: ProtocolId | null; chosen: ProtocolId | null | undefined; onChoose: (choice: ProtocolId | null | undefined) => void }) {
  const value = chosen === undefined ? 'auto' : chosen === null ? 'none' : chosen;
  return (
    <label class="protocol-choice toolbar-switch" title="Decode this socket's messages as a protocol">
      Protocol
      <select
        data-testid="protocol-choice"
        value={value}
        onChange={(event) => {
          const next = (event.currentTarget as HTMLSelectElement).value;
          onChoose(next === 'auto' ? undefined : next === 'none' ? null : (next as ProtocolId));
        }}
      >
        <option value="auto">{detected ? `Detected: ${protocolLabel(detected)}` : 'Detected: none'}</option>
        {PROTOCOL_CHOICES.map(({ id, label }) => (
          <option key={id} value={id}>
            {label}
          </option>
        ))}
        <option value="none">None</option>
      </select>
    </label>
  );
}
