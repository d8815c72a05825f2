// Makes the functions the shim replaced or provides stringify as natives do:
// pages and bot detectors compare `String(fn)` with "[native code]" text.
import { ENGINE_MARK_KEY } from '../wire/names';
import { defineProperty, getOwnPropertyDescriptor, NativeWeakMap, reflectApply, reflectGet, weakMapGet, weakMapSet } from './natives';

/** Shows `replacement` as `original` shows (a native function), or as the given source text. */
export type Mask = (replacement: object, original: object | string) => void;

/** A registered symbol, so that copies of the engine from different bundles (each module of a module worker) agree on it. */
const ENGINE_MARK = Symbol.for(ENGINE_MARK_KEY);
/** What the mark reads: true, or the hook a service worker's engine gives the background (see exposeEngineHook). */
let engineMark: unknown = true;

/** True when an engine already installed itself in this realm (its mask is on `Function.prototype.toString`). */
export const engineInstalled = (): boolean => (Function.prototype.toString as unknown as Record<symbol, unknown>)[ENGINE_MARK] !== undefined;

/** The mark reads `hook` from now on: the one way to it for code that knows the mark's key (the background, through the debugger). */
export const exposeEngineHook = (hook: (...args: unknown[]) => void): void => {
  engineMark = hook;
};

export function installToStringMask(): Mask {
  const originals = new NativeWeakMap<object, unknown>();
  const nativeToString = Function.prototype.toString;
  const toString = new Proxy(nativeToString, {
    apply(target, self: unknown, args: unknown[]) {
      const original = weakMapGet(originals, self);
      return typeof original === 'string' ? original : reflectApply(target, original ?? self, args);
    },
    // The one trace of the engine in a realm, read by a second copy of it (see engineInstalled); no own property shows it.
    get: (target, key, receiver) => (key === ENGINE_MARK ? engineMark : reflectGet(target, key, receiver)),
  });
  weakMapSet(originals, toString, nativeToString);
  const descriptor = getOwnPropertyDescriptor(Function.prototype, 'toString');
  defineProperty(Function.prototype, 'toString', { ...descriptor, value: toString });
  // A replacement of a masked function shows what that one shows.
  return (replacement, original) => weakMapSet(originals, replacement, weakMapGet(originals, original) ?? original);
}

/**
 * The source text this engine gives a native function named `name`, made
 * from a native `template` function whose own name is `templateName`
 * (Blink: "function get url() { [native code] }"; Gecko: "function url() {\n    [native code]\n}").
 */
export function nativeSourceText(template: Function, templateName: string, name: string): string {
  const text = reflectApply(Function.prototype.toString, template, []) as string;
  const at = text.indexOf(templateName);
  return at < 0 ? text : text.slice(0, at) + name + text.slice(at + templateName.length);
}
