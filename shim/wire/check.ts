// The checks every validator of the wire is built from. Each runs on data a
// page may have forged, so each is total: any input, a boolean out.

export type Fields = Record<string, unknown>;

export const isObject = (x: unknown): x is Fields => typeof x === 'object' && x !== null;
export const isCount = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) >= 0;
export const isTime = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
export const isBoundedString = (x: unknown, max: number): x is string => typeof x === 'string' && x.length <= max;
export const isOneOf = <T extends string | number>(x: unknown, values: readonly T[]): x is T => values.includes(x as T);

/** A shim instance's name: one document's shim. */
const INSTANCE = /^[a-z0-9]{1,32}$/;
export const isInstance = (x: unknown): x is string => typeof x === 'string' && INSTANCE.test(x);
