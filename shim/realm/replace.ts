// Helpers both instrumented constructors use to put themselves in place of
// the natives and to read what the page passed them.
import { defineProperty, getOwnPropertyDescriptor, isArray, reflectApply } from './natives';
import type { Mask } from './mask';
import { LIMITS } from '../wire/records';

/** Swaps a property's value keeping its attributes, and masks the replacement's source text. */
export function replace(target: object, name: string, replacement: Function, mask: Mask): void {
  const descriptor = getOwnPropertyDescriptor(target, name);
  if (!descriptor) return;
  mask(replacement, descriptor.value as Function);
  defineProperty(target, name, { ...descriptor, value: replacement });
}

/**
 * Replaces a prototype getter with `view`, which answers for a receiver,
 * calling `native()` for what the native getter says (and how it fails).
 */
export function derive(proto: object, name: string, mask: Mask, view: (self: unknown, native: () => unknown) => unknown): void {
  deriveAccessor(proto, name, 'get', mask, (self, _args, native) => view(self, native));
}

/**
 * Replaces the getter or setter of a prototype accessor with `view`, which
 * answers for a receiver, calling `native()` for what the replaced function
 * does with the same arguments (and how it fails).
 */
export function deriveAccessor(
  proto: object,
  name: string,
  part: 'get' | 'set',
  mask: Mask,
  view: (self: unknown, args: unknown[], native: () => unknown) => unknown,
): void {
  const descriptor = getOwnPropertyDescriptor(proto, name);
  const fn = descriptor?.[part];
  if (!descriptor || !fn) return;
  const replacement = new Proxy(fn, {
    apply: (target, self: unknown, args: unknown[]) => view(self, args, () => reflectApply(target, self, args)),
  });
  mask(replacement, fn);
  defineProperty(proto, name, { ...descriptor, [part]: replacement });
}

/**
 * The subprotocols the page asked for (the first LIMITS.protocols), read from
 * property descriptors so that no getter of the page runs. A Proxy still sees
 * these reads as traps; one that throws leaves the list as far as it got.
 */
export function requestedProtocols(protocols: unknown): string[] {
  if (typeof protocols === 'string') return [protocols];
  const result: string[] = [];
  if (!isArray(protocols)) return result;
  try {
    const length = getOwnPropertyDescriptor(protocols, 'length')?.value as number;
    for (let i = 0; i < length && i < LIMITS.protocols; i++) {
      const value = getOwnPropertyDescriptor(protocols, i)?.value;
      if (typeof value === 'string') result[result.length] = value;
    }
  } catch {
    // A Proxy's trap threw: keep what was read.
  }
  return result;
}
