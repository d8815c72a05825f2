// The log's toolbar: clear, preserve, HAR files, the log's size, shaping,
// the per-origin options and the connection's status. It reads the store and
// the tab itself; the log's size, which changes at every update, is its own
// component, so that the rest is not rendered again with it.
import type { ReadonlySignal } from '@preact/signals';
import type { ConnectionStatus } from '../model/connection';
import { countOf, formatBytes, formatCount } from '../model/format';
import { browserLacksWebSocketStream, inFirefox } from './platform';
import { OriginSwitch, type OriginSwitchProps } from './origin-switch';
import { ShapingBar } from '../shaping/shaping-bar';
import { HeldBadge } from '../talk-back/breakpoints';
import { LOG_LIMITS, type LogStore, type SocketEntry } from '../model/store';
import type { InspectedTab } from '../model/inspected-tab';
import { exportHar } from '../files/log-files';
import './toolbar.css';
import { onFileChosen } from '../files/file-input';

/** The per-origin option this browser offers: a WebSocketStream where it has none, else WebSockets carried over its own. */
const ORIGIN_SWITCH: Omit<OriginSwitchProps, 'tabId' | 'live'> = browserLacksWebSocketStream
  ? {
      option: 'provideWebSocketStream',
      testId: 'provide-websocket-stream',
      label: 'Provide WebSocketStream',
      explain: 'Supply WebSocketStream, which this browser lacks. Sending backpressure is real; receive backpressure is simulated.',
    }
  : {
      option: 'webSocketOverStream',
      testId: 'websocket-over-stream',
      label: 'WebSocket over stream',
      explain: "Carry the page's WebSockets over the browser's WebSocketStream, so that a slow or paused consumer (see Shaping) holds the server back for real.",
    };

/** Running Sockscope in the page's workers: by rewriting nothing the page sees in Firefox, through the debugger in Chromium. */
const CAPTURE_WORKERS_SWITCH: Omit<OriginSwitchProps, 'tabId' | 'live'> = {
  option: 'captureWorkers',
  testId: 'capture-workers',
  label: 'Capture workers',
  explain: inFirefox
    ? "Run Sockscope first in the workers this origin's pages start (dedicated, module, nested and shared), so that their sockets show here."
    : "Run Sockscope first in the workers this origin's pages start (dedicated, module and nested), so that their sockets show here. Chrome says that Sockscope is debugging the browser while a page with the switch on is open.",
};

const STATUS_TEXT: Record<ConnectionStatus, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  orphaned: 'Disconnected',
};

export interface ToolbarProps {
  store: LogStore;
  tab: InspectedTab;
  /** The socket selected in the panel, which a custom rule may target. */
  selected: ReadonlySignal<SocketEntry | undefined>;
  /** Showing a file: no shaping, no live settings. */
  readOnly: boolean;
  onImport: (file: File) => void;
}

export function Toolbar({ store, tab, selected, readOnly, onImport }: ToolbarProps) {
  const status = tab.status.value;
  return (
    <div class="toolbar" role="toolbar" aria-label="Log">
      <button type="button" class="tool-button" data-testid="clear" title="Clear log" aria-label="Clear log" onClick={() => store.clear()}>
        <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
          <circle cx="8" cy="8" r="5.5" fill="none" stroke="currentColor" stroke-width="1.5" />
          <path d="M4.2 11.8l7.6-7.6" stroke="currentColor" stroke-width="1.5" />
        </svg>
      </button>
      {!readOnly && (
        <label class="toolbar-text toolbar-switch" title="Keep the log when the page reloads or navigates; sockets from earlier pages are marked">
          <input type="checkbox" data-testid="preserve-log" checked={store.preserve} onChange={(event) => (store.preserve = (event.currentTarget as HTMLInputElement).checked)} />
          Preserve log
        </label>
      )}
      <button type="button" class="tool-button text-button" data-testid="export-har" title="Save every socket and its messages as HAR (opens in Chrome DevTools and HAR tools)" onClick={() => exportHar(store)}>
        Export HAR
      </button>
      <label class="tool-button text-button file-button" title="Open a HAR with WebSocket messages (from Sockscope or Chrome), read-only">
        Import HAR…
        <input
          type="file"
          accept=".har,application/json"
          data-testid="import-har"
          onChange={onFileChosen(onImport)}
        />
      </label>
      <span class="toolbar-divider" />
      <LogSize store={store} />
      <span class="toolbar-divider" />
      {!readOnly && <ShapingBar tab={tab} selected={selected} />}
      {!readOnly && <HeldBadge tab={tab} store={store} />}
      <span class="toolbar-spacer" />
      {!readOnly && <OriginSwitch tabId={tab.tabId} live={status === 'live'} {...CAPTURE_WORKERS_SWITCH} />}
      {!readOnly && <OriginSwitch tabId={tab.tabId} live={status === 'live'} {...ORIGIN_SWITCH} />}
      <span class={`status status-${status}`} role="status">
        <span class="status-dot" aria-hidden="true" />
        {STATUS_TEXT[status]}
      </span>
    </div>
  );
}

/** How many sockets and messages the log holds, and what it let go. */
function LogSize({ store }: { store: LogStore }) {
  const { sockets, messages, dropped, previewsOnly } = store.counts.value;
  return (
    <>
      <span class="toolbar-text" data-testid="log-size">
        {countOf(sockets, 'socket')} · {countOf(messages, 'message')}
      </span>
      {dropped > 0 && (
        <span
          class="toolbar-text dropped"
          title={`Oldest messages dropped to keep the log within ${formatCount(LOG_LIMITS.messages)} messages`}
        >
          {formatCount(dropped)} dropped
        </span>
      )}
      {previewsOnly > 0 && (
        <span
          class="toolbar-text dropped"
          data-testid="previews-only"
          title={`Payloads of the oldest ${formatCount(previewsOnly)} messages were let go to keep the log within ${formatBytes(LOG_LIMITS.payloadBytes)}: their first ${LOG_LIMITS.previewChars} characters remain`}
        >
          {formatCount(previewsOnly)} previews only
        </span>
      )}
    </>
  );
}
