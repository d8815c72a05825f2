// Which sockets the list shows, and in what order: filtered by a text in
// their URL, kind, state or frame URL; sorted by when they were created (the
// default), URL, messages, bytes or how long they were open.
import type { SocketEntry } from '../model/store';
import { STATE_NAMES } from '../model/format';

export type SocketSort = 'created' | 'url' | 'messages' | 'bytes' | 'duration';

export interface SocketOrder {
  query: string;
  sort: SocketSort;
  descending: boolean;
}

export const DEFAULT_ORDER: SocketOrder = { query: '', sort: 'created', descending: false };

/** How long a socket has been (or was) open, in ms; 0 before it opened. */
export function durationOf({ info }: SocketEntry, now: number): number {
  if (info.openedAt === null) return 0;
  return (info.closedAt ?? now) - info.openedAt;
}

const KEYS: Record<SocketSort, (entry: SocketEntry, now: number) => number | string> = {
  created: (entry) => entry.info.createdAt,
  url: (entry) => entry.info.url,
  messages: (entry) => entry.info.sent + entry.info.received,
  bytes: (entry) => entry.info.sentBytes + entry.info.receivedBytes,
  duration: durationOf,
};

/** Whether the order depends on what the sockets do (their state, traffic, age), not only on which there are. */
export const readsActivity = (order: SocketOrder): boolean => order.query.trim() !== '' || order.sort !== 'created';

export function arrange(sockets: readonly SocketEntry[], order: SocketOrder, now: number): readonly SocketEntry[] {
  const query = order.query.trim().toLowerCase();
  const shown = query
    ? sockets.filter(({ info }) =>
        [info.url, info.kind, STATE_NAMES[info.readyState], info.frameUrl, info.protocol].some((field) => field.toLowerCase().includes(query)),
      )
    : sockets;
  if (order.sort === 'created' && !order.descending) return shown;
  const key = KEYS[order.sort];
  const sign = order.descending ? -1 : 1;
  // Stable: equal keys keep creation order.
  return shown
    .map((entry, position) => ({ entry, position, value: key(entry, now) }))
    .sort((a, b) => (a.value < b.value ? -sign : a.value > b.value ? sign : a.position - b.position))
    .map(({ entry }) => entry);
}
