// The sockets the list shows and the one selected, derived from the store as
// signals: the list changes when a socket comes or goes, or when the order
// does; an order that reads what sockets do is applied again at every update.
import { computed, type ReadonlySignal } from '@preact/signals';
import type { LogStore, SocketEntry } from '../model/store';
import { arrange, readsActivity, type SocketOrder } from './socket-order';

export function shownSockets(store: LogStore, order: SocketOrder): ReadonlySignal<readonly SocketEntry[]> {
  const again = readsActivity(order);
  return computed(() => {
    const all = store.socketList.value;
    if (again) void store.updates.value;
    return arrange(all, order, Date.now());
  });
}

/** The socket chosen by key; a selection that was cleared away (or none yet) falls back to the first socket shown. */
export function selectedSocket(store: LogStore, shown: ReadonlySignal<readonly SocketEntry[]>, key: string | null): ReadonlySignal<SocketEntry | undefined> {
  return computed(() => {
    void store.socketList.value;
    return (key === null ? undefined : store.socket(key)) ?? shown.value[0];
  });
}
