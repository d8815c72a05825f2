import type { ComponentChildren } from 'preact';
import './notice.css';

/** A centered message filling its pane: empty states and errors. */
export function Notice({ title, children, tone }: { title: string; children?: ComponentChildren; tone?: 'error' }) {
  return (
    <div class={`notice${tone ? ` notice-${tone}` : ''}`} role={tone === 'error' ? 'alert' : undefined}>
      <p class="notice-title">{title}</p>
      {children && <p class="notice-text">{children}</p>}
    </div>
  );
}
