// Above the socket list: a filter over URL, kind, state and frame, and the order.
import type { ReadonlySignal } from '@preact/signals';
import type { SocketOrder, SocketSort } from './socket-order';
import { formatCount } from '../model/format';
import type { SocketEntry } from '../model/store';
import './socket-tools.css';

const SORTS: [SocketSort, string][] = [
  ['created', 'Created'],
  ['url', 'URL'],
  ['messages', 'Messages'],
  ['bytes', 'Bytes'],
  ['duration', 'Duration'],
];

export interface SocketToolsProps {
  order: SocketOrder;
  onOrder: (order: SocketOrder) => void;
  shown: ReadonlySignal<readonly SocketEntry[]>;
  all: ReadonlySignal<readonly SocketEntry[]>;
}

export function SocketTools({ order, onOrder, shown: shownList, all }: SocketToolsProps) {
  const shown = shownList.value.length;
  const total = all.value.length;
  return (
    <div class="socket-tools">
      <input
        type="search"
        class="socket-query"
        data-testid="socket-query"
        placeholder="Filter sockets"
        aria-label="Filter sockets by URL, kind, state or frame"
        value={order.query}
        onInput={(event) => onOrder({ ...order, query: (event.currentTarget as HTMLInputElement).value })}
      />
      <select
        data-testid="socket-sort"
        aria-label="Sort sockets by"
        value={order.sort}
        onChange={(event) => onOrder({ ...order, sort: (event.currentTarget as HTMLSelectElement).value as SocketSort })}
      >
        {SORTS.map(([id, label]) => (
          <option key={id} value={id}>
            {label}
          </option>
        ))}
      </select>
      <button
        type="button"
        class="filter-toggle"
        data-testid="socket-sort-direction"
        title={order.descending ? 'Descending' : 'Ascending'}
        onClick={() => onOrder({ ...order, descending: !order.descending })}
      >
        {order.descending ? '↓' : '↑'}
      </button>
      {shown !== total && <span class="filter-count">{`${formatCount(shown)} of ${formatCount(total)}`}</span>}
    </div>
  );
}
