// The Playwright helper, `import { sockscope } from 'sockscope/playwright'`:
// installs dist/shim.js on a page (before its scripts, on every load) and
// wraps the page's `sockscope` API in typed, awaitable calls from the test.
import { readFileSync } from 'node:fs';
import type { MessageRecord, SocketInfo } from '../shim/wire/records';
import type { ConsumerSettings, LinkSettings, Offline } from '../shim/shaping/rule';
import type { ShapingStats } from '../shim/wire/page-api';

export type { MessageRecord, SocketInfo, ShapingStats };
/** The older name of `MessageRecord`. */
export type Frame = MessageRecord;

/** A rule as a test writes it; a RegExp `match` is sent as its source and flags. */
export interface RuleInput {
  match: string | RegExp | number | { kind: 'url'; value: string } | { kind: 'regex'; source: string; flags?: string } | { kind: 'socket'; id: number };
  up?: Partial<LinkSettings>;
  down?: Partial<LinkSettings>;
  consumer?: Partial<ConsumerSettings>;
  offline?: Offline;
}

export interface SockscopeOptions {
  /** Where the browser lacks WebSocketStream (Firefox), supply one. */
  provideWebSocketStream?: boolean;
  /** Rules in force from the start of every load, before the page's first message. */
  rules?: RuleInput[];
}

/** The part of a Playwright `Page` the helper uses. */
export interface PageLike {
  addInitScript(script: { content: string }): Promise<unknown>;
  evaluate<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
}

export interface Sockscope {
  sockets(): Promise<SocketInfo[]>;
  /** Retained messages, of one socket or all, oldest first; binary data is base64. */
  messages(socketId?: number): Promise<MessageRecord[]>;
  /** The older name of `messages`: the same list. */
  frames(socketId?: number): Promise<MessageRecord[]>;
  /** Applies a rule in the current document; returns its id. Rejects with the RuleError's message for bad input. */
  shape(rule: RuleInput): Promise<number>;
  unshape(ruleId: number): Promise<boolean>;
  /** The page as a consumer of one socket: pause and resume override its rule until `followRule()` or the rule changes. */
  consumer(socketId: number): { pause(): Promise<void>; resume(): Promise<void>; step(): Promise<void>; followRule(): Promise<void> };
  stats(socketId: number): Promise<ShapingStats>;
  /**
   * Sends a message on an open socket as the page's own send() or write()
   * would, in order with them; recorded with the mark `sent`. Rejects for
   * bad input, an unknown socket or one not open.
   */
  send(socketId: number, data: MessageData): Promise<void>;
  /** Hands the page a message as if the server sent it (the server never sees it); recorded with the mark `injected`. */
  inject(socketId: number, data: MessageData): Promise<void>;
  /** Closes an open socket as the page's own close(code, reason) would. */
  close(socketId: number, code?: number, reason?: string): Promise<void>;
  /** Resolves with the socket whose URL contains `part` once the page has opened one. */
  socket(part: string, options?: { timeoutMs?: number }): Promise<SocketInfo>;
}

/** Text, or bytes (a Node Buffer is a Uint8Array). */
export type MessageData = string | ArrayBuffer | ArrayBufferView;

type Operation = 'sockets' | 'messages' | 'frames' | 'shape' | 'unshape' | 'pause' | 'resume' | 'step' | 'followRule' | 'stats' | 'send' | 'inject' | 'close';

const SHIM = new URL(/* @vite-ignore */ './shim.js', import.meta.url);

/** Installs Sockscope on `page`, on every load from the next one; call before `page.goto`. */
export async function sockscope(page: PageLike, options: SockscopeOptions = {}): Promise<Sockscope> {
  const pageOptions = { provideWebSocketStream: options.provideWebSocketStream === true, rules: (options.rules ?? []).map(plainRule) };
  await page.addInitScript({ content: `globalThis.sockscopeOptions = ${JSON.stringify(pageOptions)};\n${readFileSync(SHIM, 'utf8')}` });
  // One fixed function: a page's Content-Security-Policy may forbid building functions from text.
  const call = <R>(operation: Operation, arg: unknown): Promise<R> =>
    page.evaluate(
      ([op, value]) => {
        type Api = Record<string, (arg?: unknown) => unknown> & { consumer(id: unknown): Record<string, () => void> };
        const api = (globalThis as unknown as { sockscope?: Api }).sockscope;
        if (!api) throw new Error('Sockscope is not installed in this page: call sockscope(page) before page.goto()');
        if (op === 'pause' || op === 'resume' || op === 'step' || op === 'followRule') return api.consumer(value)[op]() as R;
        // [socket id, ...arguments]; bytes cross as base64.
        if (op === 'send' || op === 'inject' || op === 'close') {
          const [socketId, first, ...rest] = value as [unknown, unknown, ...unknown[]];
          const data = typeof first === 'object' && first !== null && 'base64' in first ? Uint8Array.from(atob((first as { base64: string }).base64), (c) => c.charCodeAt(0)) : first;
          return (api[op] as unknown as (...args: unknown[]) => R)(socketId, data, ...rest);
        }
        return (value === null ? api[op]() : api[op](value)) as R;
      },
      [operation, arg ?? null] as [Operation, unknown],
    );
  return {
    sockets: () => call('sockets', null),
    messages: (socketId) => call('messages', socketId),
    frames: (socketId) => call('frames', socketId),
    shape: (rule) => call('shape', plainRule(rule)),
    unshape: (ruleId) => call('unshape', ruleId),
    consumer: (socketId) => ({
      pause: () => call('pause', socketId),
      resume: () => call('resume', socketId),
      step: () => call('step', socketId),
      followRule: () => call('followRule', socketId),
    }),
    stats: (socketId) => call('stats', socketId),
    send: (socketId, data) => call('send', [socketId, plainData(data)]),
    inject: (socketId, data) => call('inject', [socketId, plainData(data)]),
    close: (socketId, ...args) => call('close', [socketId, ...args]),
    async socket(part, { timeoutMs = 5_000 } = {}) {
      for (const started = Date.now(); ; ) {
        const found = (await call<SocketInfo[]>('sockets', null)).find((socket) => socket.url.includes(part));
        if (found) return found;
        if (Date.now() - started > timeoutMs) throw new Error(`no socket with "${part}" in its URL after ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
  };
}

/** A message as JSON can carry it: text as is, bytes as base64. */
function plainData(data: MessageData): unknown {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return { base64: Buffer.from(data).toString('base64') };
  if (ArrayBuffer.isView(data)) return { base64: Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64') };
  // Anything else goes as it is, for the page to refuse with its reason.
  return data;
}

/** A rule as JSON can carry it. */
function plainRule(rule: RuleInput): unknown {
  return rule.match instanceof RegExp ? { ...rule, match: { kind: 'regex', source: rule.match.source, flags: rule.match.flags } } : rule;
}
