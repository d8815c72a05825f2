import { useState } from 'preact/hooks';
import type { ConnectionStatus } from '../model/connection';
import type { ProtocolId } from '../decoders/decoders';
import { NO_FILTER, type MessageFilter } from '../search/message-filter';
import { loadPatterns, savePatterns } from '../search/saved-patterns';
import { SocketPane, type SocketView } from './socket-pane';
import { Notice } from './notice';
import { SocketList } from '../sockets/socket-list';
import { arrange, DEFAULT_ORDER, type SocketOrder } from '../sockets/socket-order';
import { SocketTools } from '../sockets/socket-tools';
import { Splitter } from './splitter';
import { oneLine } from '../model/format';
import { exportHar, importHar } from '../files/log-files';
import type { LogStore, SocketEntry } from '../model/store';
import type { ConsumerAction, PanelRule } from '../../shim/wire/messages';
import { Toolbar } from './toolbar';
import { useSearchWorker, useStoreVersion } from '../model/use-store';

const SOCKETS_MIN_PX = 180;
/** Room left for the frames table when the socket list is widened. */
const FRAMES_MIN_PX = 240;

export interface AppProps {
  tabId: number;
  store: LogStore;
  status: ConnectionStatus;
  /** The tab's shaping rules, and how to change them. */
  rules: PanelRule[];
  onShape: (rules: PanelRule[]) => void;
  /** Drives the page as the consumer of one socket. */
  onConsumer: (entry: SocketEntry, action: ConsumerAction) => void;
  /** A file shown instead of the live log (read-only), and how to go back. */
  file: { name: string; close: () => void } | null;
  onOpenFile: (name: string, store: LogStore) => void;
}

export function App({ tabId, store, status, rules, onShape, onConsumer, file, onOpenFile }: AppProps) {
  // Re-renders on every store change; the store's entries change in place.
  useStoreVersion(store);
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
  // The store holds the setting; this state only re-renders on a change.
  const [, setPreserved] = useState(store.preserve);
  const [order, setOrder] = useState<SocketOrder>(DEFAULT_ORDER);
  const all = store.sockets();
  const sockets = arrange(all, order, Date.now());
  // A selection that was cleared away (or none yet) falls back to the first socket shown.
  const selected = (selectedKey === null ? undefined : store.socket(selectedKey)) ?? sockets[0];
  const resize = (width: number) =>
    setSocketsWidth(Math.max(SOCKETS_MIN_PX, Math.min(width, innerWidth - FRAMES_MIN_PX)));

  return (
    <div class="app">
      <Toolbar
        tabId={tabId}
        rules={rules}
        onShape={onShape}
        selected={selected}
        sockets={all.length}
        frames={store.frameCount}
        dropped={store.dropped}
        previewsOnly={store.previewsOnly}
        status={status}
        onClear={() => store.clear()}
        readOnly={file !== null}
        preserve={store.preserve}
        onPreserve={(preserve) => {
          store.preserve = preserve;
          setPreserved(preserve);
        }}
        onExport={() => exportHar(store)}
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
      {status === 'orphaned' && (
        <p class="banner" role="alert">
          Sockscope was reloaded or updated and this panel lost its connection. Close and reopen DevTools to continue.
        </p>
      )}
      {all.length > 0 ? (
        <main class="split" style={{ '--sockets-width': `${socketsWidth}px` }}>
          <div class="socket-column">
            <SocketTools order={order} onOrder={setOrder} shown={sockets.length} total={all.length} />
            <SocketList sockets={sockets} page={store.page} selected={selected} onSelect={setSelectedKey} />
          </div>
          <Splitter size={socketsWidth} onResize={resize} label="Resize the socket list" />
          {selected ? (
            <SocketPane
              entry={selected}
              view={view}
              onView={setView}
              readOnly={file !== null}
              log={store.frameLog}
              search={search}
              socketOf={(number) => store.socketByNumber(number)}
              filter={filter}
              onFilter={setFilter}
              protocol={protocols.get(selected.key)}
              onProtocol={(choice) => {
                const next = new Map(protocols);
                if (choice === undefined) next.delete(selected.key);
                else next.set(selected.key, choice);
                setProtocols(next);
              }}
              rules={rules}
              onShape={onShape}
              onConsumer={(action) => onConsumer(selected, action)}
            />
          ) : (
            <Notice title="No socket matches the filter">Change or clear the filter above the socket list.</Notice>
          )}
        </main>
      ) : (
        <main class="split">
          <Notice title="No WebSockets yet on this page">
            Sockets appear here as the page opens them, with every message in both directions. Reload the page to
            capture sockets it opened before Sockscope was installed.
          </Notice>
        </main>
      )}
    </div>
  );
}
