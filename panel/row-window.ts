// Which rows of a list of fixed-height rows to render, and where. Not a
// general virtualizer: with every row the same height the window is
// arithmetic, and the panel can pin a live tail without the cost a measuring
// virtualizer pays (reading scrollHeight forces a layout; following the
// scroll event renders every update twice). While pinned, the window is
// computed from the row count alone and the scroll position only written.
import { useLayoutEffect, useRef, useState } from 'preact/hooks';

export interface RowWindowOptions {
  count: number;
  rowPx: number;
  /** Space above the first row (a sticky header). */
  paddingStart?: number;
  /** Rows rendered beyond each edge of the viewport. */
  overscan: number;
  /** Keep the last row in view as rows are added. */
  pinned?: boolean;
  /** After a scroll: whether it left the view at the end of the list. */
  onScrolled?: (atEnd: boolean) => void;
}

export interface RowWindow {
  /** Attach to the scroll container. */
  ref: { current: HTMLDivElement | null };
  onScroll: () => void;
  /** Rows [start, end) are to be rendered. */
  start: number;
  end: number;
  /** Height of the scrolled content. */
  total: number;
  rowTop: (index: number) => number;
  /** Scrolls just enough to bring a row into view. */
  reveal: (index: number) => void;
}

export function useRowWindow({ count, rowPx, paddingStart = 0, overscan, pinned = false, onScrolled }: RowWindowOptions): RowWindow {
  const ref = useRef<HTMLDivElement>(null);
  const [viewport, setViewport] = useState(0);
  const [scrollTop, setScrollTop] = useState(0);
  /** The scroll position this hook last wrote, so pinning never reads one back. */
  const written = useRef(-1);
  const total = paddingStart + count * rowPx;
  const maxTop = Math.max(0, total - viewport);
  const top = pinned ? maxTop : Math.min(scrollTop, maxTop);
  const latest = useRef({ total, maxTop, pinned, onScrolled });
  latest.current = { total, maxTop, pinned, onScrolled };

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => {
      const height = el.clientHeight;
      // At once, not at the next render: a taller view clamps the scroll position, and the
      // scroll event that follows must not read as the user leaving the end.
      latest.current.maxTop = Math.max(0, latest.current.total - height);
      setViewport(height);
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  useLayoutEffect(() => {
    const el = ref.current;
    // Not before the viewport is known (first render, hidden panel): the browser would clamp the
    // position, and the scroll event would read as the user leaving the end.
    if (!pinned || !el || viewport === 0 || written.current === maxTop) return;
    written.current = maxTop;
    el.scrollTop = maxTop;
  }, [pinned, maxTop, viewport]);

  const onScroll = () => {
    const el = ref.current;
    if (!el) return;
    const now = el.scrollTop;
    written.current = now;
    const { maxTop, pinned, onScrolled } = latest.current;
    const atEnd = now >= maxTop - rowPx / 2;
    // Pinned and still at the end (the pin's own scrolling): the window does not depend on it.
    if (pinned && atEnd) return;
    setScrollTop(now);
    onScrolled?.(atEnd);
  };

  const reveal = (index: number) => {
    const el = ref.current;
    if (!el) return;
    const rowStart = paddingStart + index * rowPx;
    if (rowStart < top + paddingStart) el.scrollTop = rowStart - paddingStart;
    else if (rowStart + rowPx > top + viewport) el.scrollTop = rowStart + rowPx - viewport;
  };

  const first = Math.floor((top - paddingStart) / rowPx);
  return {
    ref,
    onScroll,
    start: Math.max(0, first - overscan),
    end: Math.min(count, Math.ceil((top + viewport - paddingStart) / rowPx) + overscan),
    total,
    rowTop: (index) => paddingStart + index * rowPx,
    reveal,
  };
}
