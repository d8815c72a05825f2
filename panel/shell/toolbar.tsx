import type { ConnectionStatus } from '../model/connection';
import { countOf, formatBytes, formatCount } from '../model/format';
import { browserLacksWebSocketStream } from './platform';
import { OriginSwitch, type OriginSwitchProps } from './origin-switch';
import { ShapingBar } from '../shaping/shaping-bar';
import { LOG_LIMITS, type SocketEntry } from '../model/store';
import type { PanelRule } from '../../shim/wire/messages';

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

const STATUS_TEXT: Record<ConnectionStatus, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  orphaned: 'Disconnected',
};

export interface ToolbarProps {
  tabId: number;
  rules: PanelRule[];
  onShape: (rules: PanelRule[]) => void;
  /** The socket selected in the panel, which a custom rule may target. */
  selected: SocketEntry | undefined;
  sockets: number;
  frames: number;
  dropped: number;
  /** Messages held whose payload was let go to stay within the byte budget. */
  previewsOnly: number;
  status: ConnectionStatus;
  onClear: () => void;
  /** Showing a file: no shaping, no live settings. */
  readOnly: boolean;
  /** Keep the log across reloads and navigations. */
  preserve: boolean;
  onPreserve: (preserve: boolean) => void;
  onExport: () => void;
  onImport: (file: File) => void;
}

export function Toolbar({ tabId, rules, onShape, selected, sockets, frames, dropped, previewsOnly, status, onClear, readOnly, preserve, onPreserve, onExport, onImport }: ToolbarProps) {
  return (
    <div class="toolbar" role="toolbar" aria-label="Log">
      <button type="button" class="tool-button" data-testid="clear" title="Clear log" aria-label="Clear log" onClick={onClear}>
        <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
          <circle cx="8" cy="8" r="5.5" fill="none" stroke="currentColor" stroke-width="1.5" />
          <path d="M4.2 11.8l7.6-7.6" stroke="currentColor" stroke-width="1.5" />
        </svg>
      </button>
      {!readOnly && (
        <label class="toolbar-text toolbar-switch" title="Keep the log when the page reloads or navigates; sockets from earlier pages are marked">
          <input type="checkbox" data-testid="preserve-log" checked={preserve} onChange={(event) => onPreserve((event.currentTarget as HTMLInputElement).checked)} />
          Preserve log
        </label>
      )}
      <button type="button" class="tool-button text-button" data-testid="export-har" title="Save every socket and its messages as HAR (opens in Chrome DevTools and HAR tools)" onClick={onExport}>
        Export HAR
      </button>
      <label class="tool-button text-button file-button" title="Open a HAR with WebSocket messages (from Sockscope or Chrome), read-only">
        Import HAR…
        <input
          type="file"
          accept=".har,application/json"
          data-testid="import-har"
          onChange={(event) => {
            const input = event.currentTarget as HTMLInputElement;
            const file = input.files?.[0];
            input.value = '';
            if (file) onImport(file);
          }}
        />
      </label>
      <span class="toolbar-divider" />
      <span class="toolbar-text">
        {countOf(sockets, 'socket')} · {countOf(frames, 'message')}
      </span>
      {dropped > 0 && (
        <span
          class="toolbar-text dropped"
          title={`Oldest messages dropped to keep the log within ${formatCount(LOG_LIMITS.frames)} messages`}
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
      <span class="toolbar-divider" />
      {!readOnly && <ShapingBar rules={rules} onShape={onShape} selected={selected} />}
      <span class="toolbar-spacer" />
      {!readOnly && <OriginSwitch tabId={tabId} live={status === 'live'} {...ORIGIN_SWITCH} />}
      <span class={`status status-${status}`} role="status">
        <span class="status-dot" aria-hidden="true" />
        {STATUS_TEXT[status]}
      </span>
    </div>
  );
}
