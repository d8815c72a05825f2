// A FIFO with O(1) amortized push and shift and O(1) indexed reads: the
// shim's history and the panel's log append at the tail, evict at the head, and
// read by index. Array#shift would be O(n) per eviction on 100,000 messages.
// It uses no Array.prototype method: in the page those are the page's to patch.

/** Dead slots tolerated at the front before they are compacted away. */
const COMPACT_AT = 1024;

export interface ReadonlyDeque<T> {
  readonly length: number;
  /** The item `index` places from the head, or undefined past either end. */
  at(index: number): T | undefined;
}

export class Deque<T> implements ReadonlyDeque<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  at(index: number): T | undefined {
    return index >= 0 && index < this.length ? this.items[this.head + index] : undefined;
  }

  push(item: T): void {
    this.items[this.items.length] = item;
  }

  shift(): T | undefined {
    if (this.head === this.items.length) return undefined;
    const item = this.items[this.head];
    // Release the reference now: the slot may live until the next compaction.
    this.items[this.head++] = undefined;
    if (this.head >= COMPACT_AT && this.head * 2 >= this.items.length) this.retain(() => true);
    return item;
  }

  /** The items, head first, as a new array. */
  toArray(): T[] {
    const out: T[] = [];
    for (let i = this.head; i < this.items.length; i++) out[out.length] = this.items[i] as T;
    return out;
  }

  /** Keeps only the items that pass `keep`, in order. O(n). */
  retain(keep: (item: T) => boolean): void {
    const kept: T[] = [];
    for (let i = this.head; i < this.items.length; i++) {
      const item = this.items[i] as T;
      if (keep(item)) kept[kept.length] = item;
    }
    this.items = kept;
    this.head = 0;
  }

  clear(): void {
    this.items = [];
    this.head = 0;
  }
}
