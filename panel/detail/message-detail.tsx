// One message in full: its facts (direction, position, size, time absolute and
// since the socket opened, exact milliseconds in the tooltip), then its
// payload as wrapped text, as a JSON tree when it parses, or as a hex dump;
// and copy as text, JSON or base64. Everything renders as text.
import { useMemo, useState } from 'preact/hooks';
import { copyText } from '../shell/clipboard';
import type { LoggedMessage } from '../model/message-log';
import { decodeMessage, protocolLabel, type ProtocolId, type RawMessage } from '../decoders/decoders';
import { formatBytes, formatCount, formatTime, oneLine } from '../model/format';
import { base64Bytes, HEX_DUMP_BYTES, hexDump } from './hex-dump';
import { JsonTree } from './json-tree';
import { MARKS } from '../model/marks';
import type { MessageActions } from '../talk-back/message-actions';
import './message-detail.css';

type Viewer = 'decoded' | 'text' | 'json' | 'hex';

/** Levels of a decoded message's tree that start open: the envelope, the message, its payload. */
const DECODED_OPEN_LEVELS = 4;
const VIEWER_LABELS: Record<Viewer, string> = { decoded: 'Decoded', json: 'JSON', hex: 'Hex', text: 'Text' };

export interface MessageDetailProps {
  message: LoggedMessage;
  /** Its place among the messages shown, from 0. */
  position: number;
  /** When the socket opened (epoch ms), for the relative time. */
  openedAt: number | null;
  /** The socket's protocol, whose decoding is shown first; null for none. */
  protocol: ProtocolId | null;
  /** The socket's first messages, which some protocols' later messages are read by. */
  session: readonly RawMessage[];
  onClose: () => void;
  /** Resend and Edit and resend; absent for a file's messages. */
  actions?: MessageActions;
}

/** The payload parsed as JSON, or undefined when it is not JSON. */
function parseJson(text: string): unknown {
  const start = text.trimStart()[0];
  if (start !== '{' && start !== '[') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined; // not JSON, or nested deeper than the parser goes
  }
}

export function MessageDetail({ message, position, openedAt, protocol, session, onClose, actions }: MessageDetailProps) {
  const json = useMemo(() => (message.type === 'text' ? parseJson(message.data) : undefined), [message.index, message.data]);
  const bytes = useMemo(() => (message.type === 'binary' ? base64Bytes(message.data) : null), [message.index, message.data]);
  const decoded = useMemo(() => (protocol === null ? null : decodeMessage(protocol, message, session)), [message.index, message.data, protocol, session]);
  const raw: Viewer[] = message.type === 'binary' ? ['hex'] : json === undefined ? ['text'] : ['json', 'text'];
  const viewers: Viewer[] = decoded === null ? raw : ['decoded', ...raw];
  const [chosen, setChosen] = useState<Viewer | null>(null);
  const viewer = chosen !== null && viewers.includes(chosen) ? chosen : viewers[0];
  const since = openedAt === null ? null : message.time - openedAt;
  const blocked = actions?.blocked(message) ?? null;
  const edit = actions?.editor(message) ?? null;
  const again = message.direction === 'send' ? 'to the server' : 'to the page';

  return (
    <section class="message-detail" aria-label="Message" data-testid="message-detail" onKeyDown={(event) => event.key === 'Escape' && onClose()}>
      <div class="detail-head">
        <span class={`detail-dir dir-${message.direction}`}>{message.direction === 'send' ? '↑ Sent' : '↓ Received'}</span>
        <span>#{formatCount(position + 1)}</span>
        <span title={`${formatCount(message.size)} bytes`}>{formatBytes(message.size)}</span>
        <span title={`${message.time} ms since the epoch`}>{formatTime(message.time)}</span>
        {since !== null && <span title={`${since.toFixed(3)} ms after the socket opened`}>+{(since / 1000).toFixed(3)} s</span>}
        {message.mark && (
          <span class="mark-badge" data-testid="detail-mark" title={MARKS[message.mark].title}>
            {MARKS[message.mark].title}
          </span>
        )}
        {message.truncated && (
          <span class="detail-note" data-testid="detail-truncated">
            {message.previewOnly ? 'payload let go to keep the log within its budget: its start only' : 'payload cut where it crossed from the page: its start only'}
          </span>
        )}
        <span class="detail-tabs" role="tablist" aria-label="Viewer">
          {viewers.map((id) => (
            <button key={id} type="button" role="tab" class="view-tab" data-testid={`viewer-${id}`} aria-selected={viewer === id} onClick={() => setChosen(id)}>
              {VIEWER_LABELS[id]}
            </button>
          ))}
        </span>
        <span class="detail-actions">
          {actions && (
            <button type="button" class="text-button" data-testid="resend" disabled={blocked !== null} title={blocked ?? `Send it ${again} again`} onClick={() => actions.resend(message)}>
              Resend
            </button>
          )}
          {edit && (
            <button type="button" class="text-button" data-testid="edit-resend" disabled={blocked !== null} title={blocked ?? `Edit it in the composer, then send it ${again}`} onClick={edit}>
              Edit and resend
            </button>
          )}
          <button type="button" class="text-button" data-testid="copy-text" onClick={() => void copyText(message.data)}>
            Copy {message.type === 'binary' ? 'base64' : 'text'}
          </button>
          {json !== undefined && (
            <button type="button" class="text-button" data-testid="copy-json" onClick={() => void copyText(JSON.stringify(json, null, 2))}>
              Copy JSON
            </button>
          )}
          <button type="button" class="text-button" data-testid="detail-close" title="Close (Esc)" onClick={onClose}>
            ×
          </button>
        </span>
      </div>
      <div class="detail-body" data-testid="detail-body">
        {viewer === 'decoded' &&
          decoded !== null &&
          ('error' in decoded ? (
            <p class="detail-note" data-testid="decoded-error">
              {oneLine(decoded.error, 300)}
            </p>
          ) : (
            <>
              <p class="decoded-summary" data-testid="decoded-summary">
                {protocolLabel(protocol as ProtocolId)}: {oneLine(decoded.summary, 300)}
              </p>
              {/* A protocol's fields nest (an envelope, then the message): open a few levels. */}
              <JsonTree value={decoded.fields} openLevels={DECODED_OPEN_LEVELS} />
            </>
          ))}
        {viewer === 'json' && <JsonTree value={json} />}
        {viewer === 'text' && <pre class="detail-text">{message.data}</pre>}
        {viewer === 'hex' &&
          (bytes === null ? (
            <p class="detail-note">This binary payload does not decode.</p>
          ) : (
            <>
              <pre class="detail-hex" data-testid="hex-dump">
                {hexDump(bytes).join('\n')}
              </pre>
              {bytes.length > HEX_DUMP_BYTES && <p class="detail-note">The first {formatBytes(HEX_DUMP_BYTES)} shown; copy as base64 for all of it.</p>}
            </>
          ))}
      </div>
    </section>
  );
}
