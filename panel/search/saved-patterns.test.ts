import { describe, expect, test } from 'vitest';
import { MAX_CONTROL_PATTERNS } from './message-filter';
import { loadPatterns, savePatterns } from './saved-patterns';

/** Just enough of localStorage. */
function memoryStorage(initial: Record<string, string> = {}): Storage {
  const items = new Map(Object.entries(initial));
  return { getItem: (key: string) => items.get(key) ?? null, setItem: (key: string, value: string) => void items.set(key, value) } as Storage;
}

describe('saved heartbeat patterns', () => {
  test('come back as saved', () => {
    const storage = memoryStorage();
    expect(loadPatterns(storage)).toEqual([]);
    savePatterns(['^\\{"op":"hb"\\}$', 'tick'], storage);
    expect(loadPatterns(storage)).toEqual(['^\\{"op":"hb"\\}$', 'tick']);
  });

  test('whatever is stored, only strings come back, and no more than the filter takes', () => {
    expect(loadPatterns(memoryStorage({ 'sockscope.heartbeatPatterns': '{not json' }))).toEqual([]);
    expect(loadPatterns(memoryStorage({ 'sockscope.heartbeatPatterns': '{"a":1}' }))).toEqual([]);
    expect(loadPatterns(memoryStorage({ 'sockscope.heartbeatPatterns': '["a",1,null,"b"]' }))).toEqual(['a', 'b']);
    const many = JSON.stringify(Array.from({ length: 80 }, (_, i) => `p${i}`));
    expect(loadPatterns(memoryStorage({ 'sockscope.heartbeatPatterns': many }))).toHaveLength(MAX_CONTROL_PATTERNS);
  });
});
