// JSON text of the shim's own plain data, built without page-reachable hooks:
// `JSON.stringify` on an object would call any `toJSON` the page put on
// Object.prototype or Array.prototype. Strings go through the saved native
// (a primitive has no hooks); objects and arrays are walked here.
import { isArray, jsonQuote, objectKeys } from './natives';

export function toJson(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return jsonQuote(value);
    case 'number':
      return value === value && value !== Infinity && value !== -Infinity ? '' + value : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      return isArray(value) ? arrayJson(value) : objectJson(value as Record<string, unknown>);
    default:
      throw new TypeError(`no JSON form for a ${typeof value}`);
  }
}

function arrayJson(items: readonly unknown[]): string {
  let text = '[';
  for (let i = 0; i < items.length; i++) text += (i ? ',' : '') + toJson(items[i]);
  return text + ']';
}

/** A field whose value is undefined is left out, as JSON.stringify leaves it. */
function objectJson(fields: Record<string, unknown>): string {
  const keys = objectKeys(fields);
  let text = '';
  for (let i = 0; i < keys.length; i++) {
    const value = fields[keys[i]];
    if (value !== undefined) text += (text ? ',' : '') + jsonQuote(keys[i]) + ':' + toJson(value);
  }
  return '{' + text + '}';
}
