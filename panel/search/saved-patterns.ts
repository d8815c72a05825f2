// The user's heartbeat patterns are settings, not a passing filter: they are
// kept in the extension's own localStorage, for every panel and every session.
import { MAX_CONTROL_PATTERNS } from './message-filter';

const KEY = 'sockscope.heartbeatPatterns';

export function loadPatterns(storage: Storage = localStorage): string[] {
  try {
    const saved: unknown = JSON.parse(storage.getItem(KEY) ?? '[]');
    return Array.isArray(saved) ? saved.filter((pattern): pattern is string => typeof pattern === 'string').slice(0, MAX_CONTROL_PATTERNS) : [];
  } catch {
    return []; // unreadable: start afresh rather than fail the panel
  }
}

export function savePatterns(patterns: readonly string[], storage: Storage = localStorage): void {
  try {
    storage.setItem(KEY, JSON.stringify(patterns));
  } catch {
    // Storage full or denied: the patterns still apply in this panel.
  }
}
