// Entry of the panel page: picks the inspected tab, follows the DevTools theme,
// connects to the background and renders the log.
import { render } from 'preact';
// First: the theme and the shared rules, before each component's own.
import './panel.css';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { App } from './app';
import { InspectedTab } from '../model/inspected-tab';
import { Notice } from './notice';
import { inspectedTabId, openPort, watchTheme } from './platform';
import { LogStore } from '../model/store';

const store = new LogStore();

function Live({ tabId }: { tabId: number }) {
  const tab = useMemo(() => new InspectedTab(tabId), [tabId]);
  useEffect(() => tab.connect(store, openPort), [tab]);
  // A HAR file opened in the panel: shown instead of the live log until closed.
  const [file, setFile] = useState<{ name: string; store: LogStore } | null>(null);
  return (
    <App
      store={file?.store ?? store}
      tab={tab}
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
