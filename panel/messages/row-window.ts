// Which rows of a list of fixed-height rows to render, and where. Not a
// general virtualizer: with every row the same height the window is
// arithmetic, and the panel can pin a live tail without the cost a measuring
// virtualizer pays (reading scrollHeight at every update forces a layout; following the
// scroll event renders every update twice). While pinned, the window is
// computed from the row count alone and the scroll position only written.
//
// Browsers cap an element's height (Firefox at about 17.9 million pixels, a
// million 20-pixel rows is 20 million), so past MAX_CONTENT_PX the content is
// that tall and a scroll position stands for proportionally more rows: rows
// are then placed relative to the scroll position.
import { useLayoutEffect, useRef, useState } from 'preact/hooks';

/** Scrolled content never taller than this. */
export const MAX_CONTENT_PX = 8_000_000;

export interface WindowGeometry {
  count: number;
  rowPx: number;
  paddingStart: number;
  overscan: number;
  /** Height of the scroll container. */
  viewport: number;
}

/** Content height, the largest scroll position, and rows per scrolled pixel relative to natural. */
export function scrollSpace({ count, rowPx, paddingStart, viewport }: WindowGeometry): { total: number; maxTop: number; scale: number } {
  const natural = paddingStart + count * rowPx;
  const total = Math.min(natural, MAX_CONTENT_PX);
  const maxTop = Math.max(0, total - viewport);
  const naturalMax = Math.max(0, natural - viewport);
  return { total, maxTop, scale: maxTop > 0 ? naturalMax / maxTop : 1 };
}

/** The rows to render at scroll position `top`, and where each goes in the scrolled content. */
export function windowAt(geometry: WindowGeometry, top: number): { start: number; end: number; rowTop: (index: number) => number; virtualTop: number } {
  const { count, rowPx, paddingStart, overscan, viewport } = geometry;
  const virtualTop = top * scrollSpace(geometry).scale;
  return {
    start: Math.max(0, Math.floor((virtualTop - paddingStart) / rowPx) - overscan),
    end: Math.min(count, Math.ceil((virtualTop + viewport - paddingStart) / rowPx) + overscan),
    // Unscaled, this is paddingStart + index * rowPx: a row stays put as the view scrolls.
    rowTop: (index) => top + paddingStart + index * rowPx - virtualTop,
    virtualTop,
  };
}

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
  const geometry: WindowGeometry = { count, rowPx, paddingStart, overscan, viewport };
  const { total, maxTop, scale } = scrollSpace(geometry);
  const top = pinned ? maxTop : Math.min(scrollTop, maxTop);
  const latest = useRef({ pinned, onScrolled });
  latest.current = { pinned, onScrolled };

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setViewport(el.clientHeight);
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
    const ours = now === written.current;
    written.current = now;
    const { pinned, onScrolled } = latest.current;
    // The end of the layout this position belongs to, not of the last measured viewport: a taller
    // view clamps the position, and its scroll event may come before the ResizeObserver's report.
    const atEnd = now >= el.scrollHeight - el.clientHeight - rowPx / 2;
    // Pinned and at the end, or the pin's own write in a view that has since grown shorter: the
    // window does not depend on it.
    if (pinned && (atEnd || ours)) return;
    setScrollTop(now);
    onScrolled?.(atEnd);
  };

  const view = windowAt(geometry, top);
  const reveal = (index: number) => {
    const el = ref.current;
    if (!el) return;
    const rowStart = paddingStart + index * rowPx;
    if (rowStart < view.virtualTop + paddingStart) el.scrollTop = (rowStart - paddingStart) / scale;
    else if (rowStart + rowPx > view.virtualTop + viewport) el.scrollTop = (rowStart + rowPx - viewport) / scale;
  };

  return { ref, onScroll, start: view.start, end: view.end, total, rowTop: view.rowTop, reveal };
}
