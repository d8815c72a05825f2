// Entry of the panel page: picks the inspected tab, follows the DevTools theme,
// connects to the background and renders the log.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { App } from './app';
import { connectPanel, type ConnectionStatus } from './connection';
import { Notice } from './notice';
import { inspectedTabId, openPort, watchTheme } from './platform';
import { LogStore } from './store';
import './panel.css';

const store = new LogStore();

function Live({ tabId }: { tabId: number }) {
  const [status, setStatus] = useState<ConnectionStatus>('connecting');
  useEffect(() => {
    const connection = connectPanel({ tabId, store, openPort, onStatus: setStatus });
    return () => connection.close();
  }, [tabId]);
  return <App tabId={tabId} store={store} status={status} />;
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
