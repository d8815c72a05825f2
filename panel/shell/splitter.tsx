import './splitter.css';

/** Keyboard step, pixels. */
const STEP = 16;

export interface SplitterProps {
  /** Current size of the pane before the splitter, pixels. */
  size: number;
  onResize: (size: number) => void;
  label: string;
}

/** A vertical drag handle between two panes; also moves with the arrow keys. */
export function Splitter({ size, onResize, label }: SplitterProps) {
  const onPointerDown = (event: PointerEvent) => {
    const handle = event.currentTarget as HTMLElement;
    const startX = event.clientX;
    const start = size;
    handle.setPointerCapture(event.pointerId);
    const move = (e: PointerEvent) => onResize(start + e.clientX - startX);
    const end = () => {
      handle.removeEventListener('pointermove', move);
      handle.removeEventListener('pointerup', end);
      handle.removeEventListener('pointercancel', end);
    };
    handle.addEventListener('pointermove', move);
    handle.addEventListener('pointerup', end);
    handle.addEventListener('pointercancel', end);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    const delta = event.key === 'ArrowLeft' ? -STEP : event.key === 'ArrowRight' ? STEP : 0;
    if (delta === 0) return;
    event.preventDefault();
    onResize(size + delta);
  };

  return (
    <div
      class="splitter"
      role="separator"
      aria-orientation="vertical"
      aria-label={label}
      aria-valuenow={Math.round(size)}
      tabIndex={0}
      onPointerDown={onPointerDown}
      onKeyDown={onKeyDown}
    />
  );
}
