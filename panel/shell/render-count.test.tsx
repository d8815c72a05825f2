// @vitest-environment happy-dom
// Components subscribe to what they show: messages on one socket render that
// socket's row, the log's size and the table of its messages again, and
// neither the other rows nor the toolbar.
import { options, render, type VNode } from 'preact';
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import type { SocketInfo, WireMessage } from '../../shim/wire/records';
import { InspectedTab } from '../model/inspected-tab';
import { LOG_LIMITS, LogStore } from '../model/store';
import { App } from './app';
import { socketInfo } from '../model/socket-info.fixture';

// The panel's one link to the extension APIs; the origin option's request stays unanswered here.
vi.mock('webextension-polyfill', () => ({ default: { runtime: { sendMessage: () => new Promise(() => {}) } } }));

const renders = new Map<string, number>();

/** A component as counted: its name, and for a socket's row, the socket. */
function rendered(vnode: VNode): string | null {
  if (typeof vnode.type !== 'function') return null;
  const props = vnode.props as { entry?: { key: string } };
  return props.entry ? `${vnode.type.name} ${props.entry.key}` : vnode.type.name;
}

// Preact calls its `_render` option (`__r` once built) just before each component renders. The signals
// integration hooks it too: chain to the hook found, as every extension of `options` does.
const hooks = options as typeof options & { __r?: (vnode: VNode) => void };
const previous = hooks.__r;
beforeAll(() => {
  hooks.__r = (vnode) => {
    previous?.(vnode);
    const name = rendered(vnode);
    if (name !== null) renders.set(name, (renders.get(name) ?? 0) + 1);
  };
});
afterAll(() => {
  hooks.__r = previous;
});

const info = (id: number, received: number): SocketInfo =>
  socketInfo(id, { createdAt: 1_000 + id, openedAt: 1_010 + id, received, receivedBytes: received * 3 });

const message = (seq: number, socketId: number): WireMessage => [seq, socketId, 'receive', 'text', 3, `m${seq % 10}`, false, 2_000 + seq];

/** Renders and effects done: Preact renders in a microtask, runs effects after the next animation frame. */
const settled = () => new Promise((resolve) => setTimeout(resolve, 120));

test('1,000 messages on one socket render its row again, not the other rows nor the toolbar', async () => {
  const updates: (() => void)[] = [];
  const store = new LogStore(LOG_LIMITS, (run) => updates.push(run));
  const update = async () => {
    updates.splice(0).forEach((run) => run());
    await settled();
  };
  const root = document.body.appendChild(document.createElement('div'));
  render(<App store={store} tab={new InspectedTab(1)} file={null} onOpenFile={() => {}} />, root);
  store.receive({ type: 'batch', instance: 'a', frameId: 0, sockets: [info(1, 1), info(2, 1), info(3, 0)], messages: [message(1, 1), message(2, 2)], samples: [] });
  await update();
  expect(root.querySelectorAll('[data-testid=socket-row]')).toHaveLength(3);
  const before = new Map(renders);
  const more = (name: string) => (renders.get(name) ?? 0) - (before.get(name) ?? 0);

  // Ten updates of a hundred messages each, as the shim sends them in batches.
  let seq = 2;
  for (let batch = 0; batch < 10; batch++) {
    const messages = Array.from({ length: 100 }, () => message(++seq, 1));
    store.receive({ type: 'batch', instance: 'a', frameId: 0, sockets: [info(1, 1 + (batch + 1) * 100)], messages, samples: [] });
    await update();
  }

  expect(root.querySelector('.toolbar')?.textContent).toContain('1,002 messages');
  expect(root.querySelector('[data-testid=message-table]')?.getAttribute('aria-rowcount')).toBe('1002');
  expect(more('SocketRow a:1')).toBe(10);
  expect(more('LogSize')).toBe(10);
  expect(more('MessageTable')).toBeGreaterThanOrEqual(10);
  expect(more('SocketRow a:2')).toBe(0);
  expect(more('SocketRow a:3')).toBe(0);
  expect(more('Toolbar')).toBe(0);
  expect(more('SocketList')).toBe(0);
  expect(more('App')).toBe(0);
  render(null, root);
});
