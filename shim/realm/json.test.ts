import { afterEach, describe, expect, it } from 'vitest';
import { toJson } from './json';

describe('toJson', () => {
  afterEach(() => {
    delete (Object.prototype as { toJSON?: unknown }).toJSON;
    delete (Array.prototype as { toJSON?: unknown }).toJSON;
  });

  it('writes what JSON.stringify writes for plain data', () => {
    const value = { a: 'quote " backslash \\ newline \n nul \0 lone \ud800', b: [1, -0.5, 1e21, true, false, null], c: {}, d: [] };
    expect(toJson(value)).toBe(JSON.stringify(value));
    expect(toJson([NaN, Infinity])).toBe('[null,null]');
  });

  it('runs no toJSON the page put on the prototypes', () => {
    Object.defineProperty(Object.prototype, 'toJSON', { value: () => 'hijacked', configurable: true, writable: true });
    Object.defineProperty(Array.prototype, 'toJSON', { value: () => 'hijacked', configurable: true, writable: true });
    expect(toJson({ list: [1, 'two'] })).toBe('{"list":[1,"two"]}');
  });

  it('leaves out fields whose value is undefined, as JSON.stringify does', () => {
    expect(toJson({ a: 1, b: undefined, c: 'x' })).toBe('{"a":1,"c":"x"}');
    expect(toJson({ b: undefined })).toBe('{}');
  });

  it('refuses values JSON has no form for', () => {
    expect(() => toJson({ f: () => 1 })).toThrow(TypeError);
    expect(() => toJson(undefined)).toThrow(TypeError);
  });
});
