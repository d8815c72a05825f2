import { useVirtualizer } from '@tanstack/react-virtual';
import { memo } from 'preact/compat';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Frame } from '../shim/protocol';
import { formatBytes, formatTime, framePreview } from './format';
import type { SocketEntry } from './store';

/** Fixed heights: the virtualizer never measures. Keep in sync with panel.css. */
const ROW_PX = 20;
const HEADER_PX = 22;

const DIRECTION = {
  send: { arrow: '↑', label: 'Sent' },
  receive: { arrow: '↓', label: 'Received' },
} as const;

export interface FrameTableProps {
  entry: SocketEntry;
  /** The store's version: the entry's frames change in place. */
  version: number;
}

/**
 * The selected socket's frames, oldest first. Follows the tail while the view
 * is scrolled to the bottom; scrolling up stops that until the user scrolls
 * back down or jumps to the latest. Mount one per socket (key it).
 */
export function FrameTable({ entry, version }: FrameTableProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const [following, setFollowing] = useState(true);
  const count = entry.frames.length;
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_PX,
    paddingStart: HEADER_PX,
    overscan: 12,
  });

  useLayoutEffect(() => {
    const el = scroller.current;
    if (following && el) el.scrollTop = el.scrollHeight;
  }, [following, count, version]);

  const onScroll = () => {
    const el = scroller.current;
    if (el) setFollowing(el.scrollTop + el.clientHeight >= el.scrollHeight - ROW_PX / 2);
  };

  return (
    <div class="frame-table-wrap">
      <div
        ref={scroller}
        class="frame-table"
        role="table"
        aria-label="Messages"
        aria-rowcount={count + 1}
        data-testid="frame-table"
        onScroll={onScroll}
      >
        <div class="virtual-space" role="rowgroup" style={{ height: `${virtualizer.getTotalSize()}px` }}>
          <div class="frame-header" role="row" aria-rowindex={1}>
            <span class="cell cell-dir" role="columnheader">
              <span class="sr-only">Direction</span>
            </span>
            <span class="cell cell-data" role="columnheader">Data</span>
            <span class="cell cell-type" role="columnheader">Type</span>
            <span class="cell cell-size" role="columnheader">Size</span>
            <span class="cell cell-time" role="columnheader">Time</span>
          </div>
          {virtualizer.getVirtualItems().map((item) => {
            const frame = entry.frames.at(item.index) as Frame;
            return <FrameRow key={frame.seq} frame={frame} index={item.index} top={item.start} />;
          })}
        </div>
        {count === 0 && <p class="table-empty">{entry.info.readyState === 3 ? 'No messages' : 'No messages yet'}</p>}
      </div>
      {!following && count > 0 && (
        <button type="button" class="jump-latest" onClick={() => setFollowing(true)}>
          ↓ Latest
        </button>
      )}
    </div>
  );
}

const FrameRow = memo(function FrameRow({ frame, index, top }: { frame: Frame; index: number; top: number }) {
  const direction = DIRECTION[frame.direction];
  const preview = framePreview(frame);
  return (
    <div
      class={`frame-row frame-${frame.direction}`}
      role="row"
      aria-rowindex={index + 2}
      data-testid="frame-row"
      style={{ transform: `translateY(${top}px)` }}
    >
      <span class="cell cell-dir" role="cell" title={direction.label}>
        <span aria-hidden="true">{direction.arrow}</span>
        <span class="sr-only">{direction.label}</span>
      </span>
      <span class={`cell cell-data data-${preview.kind}`} role="cell">
        {preview.text}
      </span>
      <span class="cell cell-type" role="cell">
        {frame.type}
      </span>
      <span class="cell cell-size" role="cell">
        {formatBytes(frame.size)}
      </span>
      <span class="cell cell-time" role="cell">
        {formatTime(frame.time)}
      </span>
    </div>
  );
});
