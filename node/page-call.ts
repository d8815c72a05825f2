// The one function the helper runs in a frame: it calls the frame's
// `sockscope` API. One fixed function, its arguments as data: a page's
// Content-Security-Policy may forbid building functions from text.

export type Operation =
  | 'sockets'
  | 'messages'
  | 'shape'
  | 'unshape'
  | 'pause'
  | 'resume'
  | 'step'
  | 'followRule'
  | 'stats'
  | 'send'
  | 'inject'
  | 'close'
  | 'serverClose'
  | 'intercept'
  | 'unintercept'
  | 'paused'
  | 'release';

/** `[operation, argument]`: the argument as one value, or `[id, ...arguments]` for the calls on one socket or held message. */
export function callInFrame([op, value]: [Operation, unknown]): unknown {
  type Api = Record<string, (...args: unknown[]) => unknown> & { consumer(id: unknown): Record<string, () => void> };
  const api = (globalThis as unknown as { sockscope?: Api }).sockscope;
  if (!api) throw new Error('Sockscope is not installed in this page: call sockscope(page) before page.goto()');
  if (op === 'pause' || op === 'resume' || op === 'step' || op === 'followRule') return api.consumer(value)[op]();
  // Bytes cross as base64.
  const bytes = (data: unknown) =>
    typeof data === 'object' && data !== null && 'base64' in data ? Uint8Array.from(atob((data as { base64: string }).base64), (c) => c.charCodeAt(0)) : data;
  if (op === 'send' || op === 'inject' || op === 'close' || op === 'serverClose') {
    const [socketId, first, ...rest] = value as [unknown, unknown, ...unknown[]];
    return api[op](socketId, bytes(first), ...rest);
  }
  if (op === 'release') {
    const [id, change] = value as [unknown, { data?: unknown } | undefined];
    return api.release(id, change && 'data' in change ? { ...change, data: bytes(change.data) } : change);
  }
  return value === null ? api[op]() : api[op](value);
}
