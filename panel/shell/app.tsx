import { computed } from '@preact/signals';
import { useMemo, useState } from 'preact/hooks';
import type { ProtocolId } from '../decoders/decoders';
import { NO_FILTER, type MessageFilter } from '../search/message-filter';
import { loadPatterns, savePatterns } from '../search/saved-patterns';
import { SocketPane, type SocketView } from './socket-pane';
import { Notice } from './notice';
import { SocketList } from '../sockets/socket-list';
import { DEFAULT_ORDER, type SocketOrder } from '../sockets/socket-order';
import { selectedSocket, shownSockets } from '../sockets/shown-sockets';
import { SocketTools } from '../sockets/socket-tools';
import { Uninstrumented } from '../sockets/uninstrumented';
import { UnseenWorkers } from '../sockets/unseen-workers';
import { Splitter } from './splitter';
import { oneLine } from '../model/format';
import { importHar } from '../files/log-files';
import type { InspectedTab } from '../model/inspected-tab';
import type { LogStore } from '../model/store';
import { Toolbar } from './toolbar';
import { useSearchWorker } from '../model/use-store';
import './app.css';

const SOCKETS_MIN_PX = 180;
/** Room left for the messages table when the socket list is widened. */
const MESSAGES_MIN_PX = 240;

export interface AppProps {
  store: LogStore;
  /** The inspected tab: its connection, its shaping rules. */
  tab: InspectedTab;
  /** A file shown instead of the live log (read-only), and how to go back. */
  file: { name: string; close: () => void } | null;
  onOpenFile: (name: string, store: LogStore) => void;
}

/**
 * The panel's layout and the user's choices (selection, order, widths, filter).
 * Of the store it reads only whether there are sockets and which one is
 * selected: the parts it lays out each subscribe to what they show.
 */
export function App({ store, tab, file, onOpenFile }: AppProps) {
  const search = useSearchWorker(store);
  const [selectedKey, setSelectedKey] = useState<string | null>(null);
  const [socketsWidth, setSocketsWidth] = useState(360);
  const [view, setView] = useState<SocketView>('messages');
  const [filter, setFilterState] = useState<MessageFilter>(() => ({ ...NO_FILTER, controlPatterns: loadPatterns() }));
  const setFilter = (next: MessageFilter) => {
    if (next.controlPatterns !== filter.controlPatterns) savePatterns(next.controlPatterns);
    setFilterState(next);
  };
  const [fileError, setFileError] = useState<string | null>(null);
  /** Protocols the user chose, by socket key (null: none); the others are detected. */
  const [protocols, setProtocols] = useState<ReadonlyMap<string, ProtocolId | null>>(new Map());
  const [order, setOrder] = useState<SocketOrder>(DEFAULT_ORDER);
  const shown = useMemo(() => shownSockets(store, order), [store, order]);
  const selection = useMemo(() => selectedSocket(store, shown, selectedKey), [store, shown, selectedKey]);
  const anySocket = useMemo(() => computed(() => store.socketList.value.length > 0), [store]);
  const selected = selection.value;
  const resize = (width: number) =>
    setSocketsWidth(Math.max(SOCKETS_MIN_PX, Math.min(width, innerWidth - MESSAGES_MIN_PX)));

  return (
    <div class="app">
      <Toolbar
        store={store}
        tab={tab}
        selected={selection}
        readOnly={file !== null}
        onImport={(opened) => void importHar(opened).then((imported) => onOpenFile(opened.name, imported), (error: unknown) => setFileError(String((error as Error).message ?? error)))}
      />
      {file && (
        <p class="banner banner-file" data-testid="file-banner">
          Viewing {oneLine(file.name, 200)}, read-only.{' '}
          <button type="button" class="text-button" data-testid="file-close" onClick={file.close}>
            Back to the live log
          </button>
        </p>
      )}
      {fileError !== null && (
        <p class="banner" role="alert" data-testid="file-error">
          Could not open the file: {oneLine(fileError, 300)}{' '}
          <button type="button" class="text-button" onClick={() => setFileError(null)}>
            Dismiss
          </button>
        </p>
      )}
      {tab.status.value === 'orphaned' && (
        <p class="banner" role="alert">
          Sockscope was reloaded or updated and this panel lost its connection. Close and reopen DevTools to continue.
        </p>
      )}
      {anySocket.value ? (
        <main class="split" style={{ '--sockets-width': `${socketsWidth}px` }}>
          <div class="socket-column">
            <SocketTools order={order} onOrder={setOrder} shown={shown} all={store.socketList} />
            <SocketList store={store} shown={shown} selected={selection} onSelect={setSelectedKey} />
            <Uninstrumented store={store} />
            <UnseenWorkers store={store} />
          </div>
          <Splitter size={socketsWidth} onResize={resize} label="Resize the socket list" />
          {selected ? (
            <SocketPane
              entry={selected}
              store={store}
              tab={tab}
              view={view}
              onView={setView}
              readOnly={file !== null}
              search={search}
              filter={filter}
              onFilter={setFilter}
              protocol={protocols.get(selected.key)}
              onProtocol={(choice) => {
                const next = new Map(protocols);
                if (choice === undefined) next.delete(selected.key);
                else next.set(selected.key, choice);
                setProtocols(next);
              }}
            />
          ) : (
            <Notice title="No socket matches the filter">Change or clear the filter above the socket list.</Notice>
          )}
        </main>
      ) : (
        <main class="split">
          <div class="empty-column">
            <Notice title="No WebSockets yet on this page">
              Sockets appear here as the page opens them, with every message in both directions. Reload the page to
              capture sockets it opened before Sockscope was installed.
            </Notice>
            <Uninstrumented store={store} />
            <UnseenWorkers store={store} />
          </div>
        </main>
      )}
    </div>
  );
}
