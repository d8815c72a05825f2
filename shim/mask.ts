// Makes the functions the shim replaced stringify as the natives they replace:
// pages and bot detectors compare `String(fn)` with "[native code]" text.
import { defineProperty, getOwnPropertyDescriptor, NativeWeakMap, reflectApply, weakMapGet, weakMapSet } from './natives';

export type Mask = (replacement: object, original: object) => void;

export function installToStringMask(): Mask {
  const originals = new NativeWeakMap<object, unknown>();
  const nativeToString = Function.prototype.toString;
  const toString = new Proxy(nativeToString, {
    apply: (target, self: unknown, args: unknown[]) => reflectApply(target, weakMapGet(originals, self) ?? self, args),
  });
  weakMapSet(originals, toString, nativeToString);
  const descriptor = getOwnPropertyDescriptor(Function.prototype, 'toString');
  defineProperty(Function.prototype, 'toString', { ...descriptor, value: toString });
  return (replacement, original) => weakMapSet(originals, replacement, original);
}
