import { describe, expect, it } from 'vitest';
import { SafeMap, SafeSet } from './safe-collections';

describe('SafeMap and SafeSet', () => {
  it('call none of the Map and Set methods a page could patch', () => {
    const map = new SafeMap<number, string>();
    const set = new SafeSet<string>();
    // Counting wrappers, in place only for this synchronous block (the test runner uses Map and Set too).
    let calls = 0;
    const saved: [object, PropertyKey, PropertyDescriptor][] = [];
    const iteratorPrototypes = [Object.getPrototypeOf(new Map()[Symbol.iterator]()), Object.getPrototypeOf(new Set()[Symbol.iterator]())];
    const targets: [object, PropertyKey[]][] = [
      [Map.prototype, ['get', 'set', 'delete', 'forEach', Symbol.iterator]],
      [Set.prototype, ['add', 'delete', 'clear', 'forEach', Symbol.iterator]],
      ...iteratorPrototypes.map((proto): [object, PropertyKey[]] => [proto, ['next']]),
    ];
    for (const [owner, keys] of targets) {
      for (const key of keys) {
        const descriptor = Object.getOwnPropertyDescriptor(owner, key)!;
        const original = descriptor.value as (...args: unknown[]) => unknown;
        saved.push([owner, key, descriptor]);
        Object.defineProperty(owner, key, {
          ...descriptor,
          value(this: unknown, ...args: unknown[]) {
            calls++;
            return Reflect.apply(original, this, args);
          },
        });
      }
    }
    const seen: string[] = [];
    try {
      map.set(1, 'a');
      map.set(2, 'b');
      map.delete(1);
      set.add('x');
      set.add('y');
      map.forEach((value) => seen.push(value));
      set.forEach((value) => {
        seen.push(value);
        set.delete(value);
      });
      set.add('z');
      set.clear();
    } finally {
      for (const [owner, key, descriptor] of saved) Object.defineProperty(owner, key, descriptor);
    }
    expect(calls).toBe(0);
    expect([map.get(2), map.size, set.size, seen]).toEqual(['b', 1, 0, ['b', 'x', 'y']]);
  });
});
