// Map and Set for the shim's own bookkeeping, called only through methods
// saved when the shim is evaluated: a page that patches Map.prototype,
// Set.prototype or their iterators never sees (or breaks) the shim's calls.
// Iteration is by forEach, which walks the entries without the iterator
// protocol.
import { getter } from './natives';
import { uncurry } from './uncurry';

const NativeMap = Map;
const NativeSet = Set;
const mapGet = uncurry(Map.prototype.get);
const mapSet = uncurry(Map.prototype.set);
const mapDelete = uncurry(Map.prototype.delete);
const mapForEach = uncurry(Map.prototype.forEach);
const mapSize = getter<number>(Map.prototype, 'size');
const setAdd = uncurry(Set.prototype.add);
const setDelete = uncurry(Set.prototype.delete);
const setClear = uncurry(Set.prototype.clear);
const setForEach = uncurry(Set.prototype.forEach);
const setSize = getter<number>(Set.prototype, 'size');

export class SafeMap<K, V> {
  private readonly map = new NativeMap<K, V>();

  get size(): number {
    return mapSize(this.map);
  }

  get(key: K): V | undefined {
    return mapGet(this.map, key) as V | undefined;
  }

  set(key: K, value: V): void {
    mapSet(this.map, key, value);
  }

  /** False when there was no such key. */
  delete(key: K): boolean {
    return mapDelete(this.map, key) as boolean;
  }

  /** Visits values in insertion order. */
  forEach(visit: (value: V) => void): void {
    mapForEach(this.map, visit as (value: unknown) => void);
  }
}

export class SafeSet<T> {
  private readonly set = new NativeSet<T>();

  get size(): number {
    return setSize(this.set);
  }

  add(value: T): void {
    setAdd(this.set, value);
  }

  delete(value: T): void {
    setDelete(this.set, value);
  }

  clear(): void {
    setClear(this.set);
  }

  /** Visits values in insertion order; deleting the visited value is allowed. */
  forEach(visit: (value: T) => void): void {
    setForEach(this.set, visit as (value: unknown) => void);
  }
}
