// Arguments converted as Chromium's bindings convert them, for members the
// shim implements itself. What the page's own conversion code throws passes
// through unchanged; a TypeError the engine raises while converting (a Symbol
// to a string, an object with nothing to convert it by) gets the call's
// context in front of its message, as Blink words it.
import { getOwnPropertyDescriptor, getPrototypeOf, NativeTypeError } from './natives';

const CONVERSION_KEYS: readonly PropertyKey[] = [Symbol.toPrimitive, 'toString', 'valueOf'];

/** Nothing on the object's chain that converting it to a primitive would look at. */
export function hasNoConversionHooks(value: object): boolean {
  for (let o: object | null = value; o !== null; o = getPrototypeOf(o)) {
    for (let i = 0; i < CONVERSION_KEYS.length; i++) if (getOwnPropertyDescriptor(o, CONVERSION_KEYS[i])) return false;
  }
  return true;
}

/** Throws what the engine would for a value it cannot convert to `target`, worded as Blink; else nothing. */
function refuse(value: unknown, target: 'string' | 'number', context: string): void {
  if (typeof value === 'symbol') throw new NativeTypeError(`${context}: Cannot convert a Symbol value to a ${target}`);
  if (typeof value === 'bigint' && target === 'number') throw new NativeTypeError(`${context}: Cannot convert a BigInt value to a number`);
  if ((typeof value === 'object' && value !== null) || typeof value === 'function') {
    if (hasNoConversionHooks(value)) throw new NativeTypeError(`${context}: Cannot convert object to primitive value`);
  }
}

/** ToString, as for a DOMString argument; `context` is the call ("Failed to execute 'send' on 'WebSocket'"). */
export function idlString(value: unknown, context: string): string {
  refuse(value, 'string', context);
  return `${value as string}`;
}

/** ToNumber, as for a numeric argument. */
export function idlNumber(value: unknown, context: string): number {
  refuse(value, 'number', context);
  return +(value as number);
}
