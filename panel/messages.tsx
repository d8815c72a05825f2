// A socket's messages: the filter bar over its frames table. The filter is
// the panel's (it stays as the user moves between sockets); the table shows
// the frames it lets through, with the query's matches highlighted.
import { useMemo, useState } from 'preact/hooks';
import { FrameDetail } from './frame-detail';
import { FilterBar } from './filter-bar';
import { compileFilter, FilterError, isNoFilter, readQuery, type FrameFilter, type Query } from './frame-filter';
import type { FrameLog } from './frame-log';
import { FrameTable } from './frame-table';
import { FrameView } from './frame-view';
import { exportJsonLines } from './log-files';
import { detectProtocol, PROTOCOL_CHOICES, protocolLabel, type ProtocolId, type RawFrame } from './decoders';
import type { SocketEntry } from './store';

export interface MessagesProps {
  entry: SocketEntry;
  log: FrameLog;
  filter: FrameFilter;
  onFilter: (filter: FrameFilter) => void;
  /** The user's choice of protocol for this socket: undefined for the detected one, null for none. */
  protocol: ProtocolId | null | undefined;
  onProtocol: (protocol: ProtocolId | null | undefined) => void;
}

/** Frames protocol detection looks at: a protocol's first frames give it away. */
const DETECTION_FRAMES = 5;

interface Compiled {
  test: ((slot: number) => boolean) | null;
  query: Query;
  error: string | null;
}

function compile(filter: FrameFilter, log: FrameLog): Compiled {
  if (isNoFilter(filter)) return { test: null, query: { kind: 'none' }, error: null };
  try {
    return { test: compileFilter(filter, log), query: readQuery(filter.query), error: null };
  } catch (error) {
    if (!(error instanceof FilterError)) throw error;
    // A query being typed may not compile yet: say why, and show the frames unfiltered meanwhile.
    return { test: null, query: { kind: 'none' }, error: error.message };
  }
}

export function Messages({ entry, log, filter, onFilter, protocol, onProtocol }: MessagesProps) {
  const seen = Math.min(entry.frames.length, DETECTION_FRAMES);
  // The socket's first frames: they give its protocol away, and a session's settings (MQTT's level).
  const session = useMemo(() => Array.from({ length: seen }, (_, i) => entry.frames.at(i) as RawFrame), [entry, seen]);
  const detected = useMemo(() => detectProtocol(entry.info, session), [entry, entry.info.protocol, session]);
  const applied = protocol === undefined ? detected : protocol;
  const compiled = useMemo(() => compile(filter, log), [filter, log]);
  const view = useMemo(() => (compiled.test ? new FrameView(log, entry.number, compiled.test) : null), [compiled, entry, log]);
  // Frames arrived since the last render: the view tests only those.
  view?.refresh();
  const frames = view ?? entry.frames;
  const empty = view ? 'No messages match the filter' : entry.info.readyState === 3 ? 'No messages' : 'No messages yet';
  const [selected, setSelected] = useState<number | null>(null);
  const [open, setOpen] = useState(false);
  // A selection the filter hides or the log let go shows no detail.
  const position = selected === null ? -1 : frames.positionOf(selected);
  const detail = open && position >= 0 ? frames.at(position) : undefined;
  const openFrame = (index: number) => {
    setSelected(index);
    setOpen(true);
  };
  return (
    <>
      <FilterBar
        filter={filter}
        onFilter={onFilter}
        shown={frames.length}
        total={entry.frames.length}
        error={compiled.error}
        onExport={() => exportJsonLines(entry.info.url, frames)}
      />
      <ProtocolChoice detected={detected} chosen={protocol} onChoose={onProtocol} />
      <FrameTable
        key={entry.key}
        frames={frames}
        query={compiled.query}
        empty={empty}
        selected={selected}
        onSelect={setSelected}
        onOpen={openFrame}
        onClose={() => setOpen(false)}
      />
      {detail && (
        <FrameDetail key={detail.index} frame={detail} position={position} openedAt={entry.info.openedAt} protocol={applied} session={session} onClose={() => setOpen(false)} />
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
