// Entry of the panel page: picks the inspected tab, follows the DevTools theme,
// connects to the background and renders the log.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { App } from './app';
import { connectPanel, type ConnectionStatus, type PanelConnection } from '../model/connection';
import { Notice } from './notice';
import { inspectedTabId, openPort, watchTheme } from './platform';
import { LogStore, type SocketEntry } from '../model/store';
import type { ConsumerAction, PanelRule } from '../../shim/wire/messages';
import './panel.css';

const store = new LogStore();

function Live({ tabId }: { tabId: number }) {
  const [status, setStatus] = useState<ConnectionStatus>('connecting');
  const [rules, setRules] = useState<PanelRule[]>([]);
  const [connection, setConnection] = useState<PanelConnection | null>(null);
  useEffect(() => {
    const opened = connectPanel({ tabId, store, openPort, onStatus: setStatus, onRules: setRules });
    setConnection(opened);
    return () => opened.close();
  }, [tabId]);
  const shape = (next: PanelRule[]) => {
    if (connection?.shape(next)) setRules(next);
  };
  const consumer = (entry: SocketEntry, action: ConsumerAction) => connection?.consumer(entry.instance, entry.info.id, action);
  // A HAR file opened in the panel: shown instead of the live log until closed.
  const [file, setFile] = useState<{ name: string; store: LogStore } | null>(null);
  return (
    <App
      tabId={tabId}
      store={file?.store ?? store}
      status={status}
      rules={rules}
      onShape={shape}
      onConsumer={consumer}
      file={file && { name: file.name, close: () => setFile(null) }}
      onOpenFile={(name, opened) => setFile({ name, store: opened })}
    />
  );
}

watchTheme((theme) => {
  document.documentElement.dataset.theme = theme;
});

const tabId = inspectedTabId();
render(
  tabId === null ? (
    <Notice title="Sockscope does not know which tab to inspect" tone="error">
      Open Sockscope from DevTools, or add <code>?tabId=N</code> to this page's address.
    </Notice>
  ) : (
    <Live tabId={tabId} />
  ),
  document.getElementById('app') as HTMLElement,
);
