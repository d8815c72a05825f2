// The Playwright helper, `import { sockscope } from 'sockscope/playwright'`:
// installs dist/shim.js on a page (before its scripts, on every load) and
// wraps the page's `sockscope` API in typed, awaitable calls from the test.
import { readFileSync } from 'node:fs';
import type { HeldMessage, MessageRecord, SocketInfo } from '../shim/wire/records';
import type { ConsumerSettings, LinkSettings, Offline } from '../shim/shaping/rule';
import type { ShapingStats } from '../shim/wire/page-api';

export type { HeldMessage, MessageRecord, SocketInfo, ShapingStats };
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

/**
 * An intercept rule as a test writes it (see docs/automation.md): RegExps
 * are sent as source and flags, a reply's bytes as base64.
 */
export interface InterceptInput {
  match: RuleInput['match'];
  direction: 'send' | 'receive';
  /** Only text messages that contain this, or match this RegExp. */
  data?: string | RegExp;
  type?: 'text' | 'binary';
  action: 'drop' | 'pause' | { replace: [pattern: string | RegExp, replacement: string] } | { reply: MessageData };
}

export interface SockscopeOptions {
  /** Where the browser lacks WebSocketStream (Firefox), supply one. */
  provideWebSocketStream?: boolean;
  /** Shaping and intercept rules in force from the start of every load, before the page's first message. */
  rules?: (RuleInput | InterceptInput)[];
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
  /** Closes an open socket as if its server did (1001, 1011, 1012, 4xxx…): the page sees that clean close; the real connection closes. */
  serverClose(socketId: number, code: number, reason?: string): Promise<void>;
  /** Resolves with the socket whose URL contains `part` once the page has opened one. */
  socket(part: string, options?: { timeoutMs?: number }): Promise<SocketInfo>;
  /** Applies an intercept rule in the current document (drop, rewrite, reply, breakpoint); returns its id. Rejects with the RuleError's message for bad input. */
  intercept(rule: InterceptInput): Promise<number>;
  /**
   * A breakpoint whose messages `handler` decides, in the test: it returns
   * nothing (the message goes on as it is), other data, or `{ drop: true }`.
   * A handler that throws, or takes longer than `timeoutMs` (30 s), lets
   * the message go on as it is, and the next call on this helper rejects
   * with that reason. Lasts for the current document, as `intercept` does.
   */
  intercept(rule: Omit<InterceptInput, 'action'>, handler: InterceptHandler, options?: { timeoutMs?: number }): Promise<number>;
  /** Removes an intercept rule; what its breakpoint held goes on as it is. */
  unintercept(ruleId: number): Promise<boolean>;
  /** The messages held at breakpoints, oldest first; bytes as base64. */
  paused(): Promise<HeldMessage[]>;
  /** Resolves with the oldest message held at a breakpoint once there is one. */
  nextPaused(options?: { timeoutMs?: number }): Promise<HeldMessage>;
  /** Lets a held message go: as it is, with `data` instead, or dropped (`{ drop: true }`). */
  release(id: number, change?: { data?: MessageData; drop?: boolean }): Promise<void>;
}

/** Text, or bytes (a Node Buffer is a Uint8Array). */
export type MessageData = string | ArrayBuffer | ArrayBufferView;

/** A held message as a handler gets it: text, or its bytes. */
export type InterceptedMessage = Omit<HeldMessage, 'data'> & { data: string | Buffer };
/** Nothing: the message goes on as it is; data: in its place; `{ drop: true }`: no further. */
export type HandlerResult = MessageData | { drop: true } | undefined | void;
export type InterceptHandler = (message: InterceptedMessage) => HandlerResult | Promise<HandlerResult>;

/** How often a handler's breakpoint is looked at for held messages. */
const HANDLER_POLL_MS = 25;

type Operation =
  | 'sockets'
  | 'messages'
  | 'frames'
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

const SHIM = new URL(/* @vite-ignore */ './shim.js', import.meta.url);

/** Installs Sockscope on `page`, on every load from the next one; call before `page.goto`. */
export async function sockscope(page: PageLike, options: SockscopeOptions = {}): Promise<Sockscope> {
  const pageOptions = { provideWebSocketStream: options.provideWebSocketStream === true, rules: (options.rules ?? []).map((rule) => ('action' in rule ? plainIntercept(rule) : plainRule(rule))) };
  await page.addInitScript({ content: `globalThis.sockscopeOptions = ${JSON.stringify(pageOptions)};\n${readFileSync(SHIM, 'utf8')}` });
  // One fixed function: a page's Content-Security-Policy may forbid building functions from text.
  // A handler's failure, told by the next call (see `intercept`).
  let failure: Error | null = null;
  const call = <R>(operation: Operation, arg: unknown): Promise<R> => {
    const failed = failure;
    failure = null;
    return failed ? Promise.reject(failed) : evaluate<R>(operation, arg);
  };
  const evaluate = <R>(operation: Operation, arg: unknown): Promise<R> =>
    page.evaluate(
      ([op, value]) => {
        type Api = Record<string, (arg?: unknown) => unknown> & { consumer(id: unknown): Record<string, () => void> };
        const api = (globalThis as unknown as { sockscope?: Api }).sockscope;
        if (!api) throw new Error('Sockscope is not installed in this page: call sockscope(page) before page.goto()');
        if (op === 'pause' || op === 'resume' || op === 'step' || op === 'followRule') return api.consumer(value)[op]() as R;
        // Bytes cross as base64.
        const bytes = (data: unknown) =>
          typeof data === 'object' && data !== null && 'base64' in data ? Uint8Array.from(atob((data as { base64: string }).base64), (c) => c.charCodeAt(0)) : data;
        // [socket id, ...arguments]
        if (op === 'send' || op === 'inject' || op === 'close' || op === 'serverClose') {
          const [socketId, first, ...rest] = value as [unknown, unknown, ...unknown[]];
          return (api[op] as unknown as (...args: unknown[]) => R)(socketId, bytes(first), ...rest);
        }
        // [held id, change]
        if (op === 'release') {
          const [id, change] = value as [unknown, { data?: unknown } | undefined];
          return (api.release as unknown as (...args: unknown[]) => R)(id, change && 'data' in change ? { ...change, data: bytes(change.data) } : change);
        }
        return (value === null ? api[op]() : api[op](value)) as R;
      },
      [operation, arg ?? null] as [Operation, unknown],
    );
  /** The rules whose breakpoints a handler serves. */
  const handlers = new Set<number>();

  /**
   * Hands each message the rule holds to `handler`, oldest first, one at a
   * time (the page lets them go in order anyway), until the rule is removed
   * or the page closes.
   */
  async function serve(ruleId: number, handler: InterceptHandler, timeoutMs: number): Promise<void> {
    while (handlers.has(ruleId)) {
      try {
        const held = await evaluate<HeldMessage[]>('paused', null);
        for (const message of held) if (message.ruleId === ruleId && handlers.has(ruleId)) await decide(ruleId, message, handler, timeoutMs);
      } catch (error) {
        // A navigation ends the document and what it held; a closed page ends the handler.
        if (/closed/i.test(`${(error as Error).message}`)) return;
      }
      await sleep(HANDLER_POLL_MS);
    }
  }

  async function decide(ruleId: number, held: HeldMessage, handler: InterceptHandler, timeoutMs: number): Promise<void> {
    let change: { data?: unknown; drop?: boolean } = {};
    try {
      const message = { ...held, data: held.type === 'text' ? held.data : Buffer.from(held.data, 'base64') };
      const result = await withTimeout(Promise.resolve().then(() => handler(message)), timeoutMs);
      if (isDrop(result)) change = { drop: true };
      else if (result !== undefined) change = { data: plainData(result) };
    } catch (error) {
      failure ??= new Error(`the intercept handler of rule ${ruleId} failed, and its message went on as it was: ${(error as Error).message}`);
    }
    try {
      await evaluate('release', [held.id, change]);
    } catch {
      // Let go already (the rule removed), or the document is gone: nothing is held any more.
    }
  }

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
    serverClose: (socketId, ...args) => call('serverClose', [socketId, ...args]),
    socket: (part, { timeoutMs = 5_000 } = {}) =>
      poll(
        async () => (await call<SocketInfo[]>('sockets', null)).find((socket) => socket.url.includes(part)),
        timeoutMs,
        `no socket with "${part}" in its URL`,
      ),
    async intercept(rule: InterceptInput | Omit<InterceptInput, 'action'>, handler?: InterceptHandler, { timeoutMs = 30_000 } = {}) {
      if (!handler) return call<number>('intercept', plainIntercept(rule as InterceptInput));
      const ruleId = await call<number>('intercept', plainIntercept({ ...rule, action: 'pause' }));
      handlers.add(ruleId);
      void serve(ruleId, handler, timeoutMs);
      return ruleId;
    },
    unintercept: (ruleId) => {
      handlers.delete(ruleId);
      return call('unintercept', ruleId);
    },
    paused: () => call('paused', null),
    nextPaused: ({ timeoutMs = 5_000 } = {}) => poll(async () => (await call<HeldMessage[]>('paused', null))[0], timeoutMs, 'no message held at a breakpoint'),
    release: (id, change) => call('release', [id, change && change.data !== undefined ? { ...change, data: plainData(change.data) } : change]),
  };
}

/** A timer that does not keep Node running. */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`it took longer than ${ms} ms`)), ms);
    timer.unref();
    promise.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}

const isDrop = (result: HandlerResult): result is { drop: true } =>
  typeof result === 'object' && result !== null && !ArrayBuffer.isView(result) && !(result instanceof ArrayBuffer) && (result as { drop?: unknown }).drop === true;

/** What `look` finds, once it finds something; rejects with `what` after `timeoutMs`. */
async function poll<T>(look: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  for (const started = Date.now(); ; ) {
    const found = await look();
    if (found !== undefined) return found;
    if (Date.now() - started > timeoutMs) throw new Error(`${what} after ${timeoutMs} ms`);
    await sleep(20);
  }
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
  return { ...rule, match: plainPattern(rule.match) };
}

function plainIntercept(rule: InterceptInput): unknown {
  const { action } = rule;
  const plainAction =
    typeof action !== 'object' ? action : 'reply' in action ? { reply: plainData(action.reply) } : { replace: [plainPattern(action.replace[0]), action.replace[1]] };
  return { ...rule, match: plainPattern(rule.match), ...(rule.data === undefined ? {} : { data: plainPattern(rule.data) }), action: plainAction };
}

/** A RegExp as its source and flags; anything else as it is. */
function plainPattern<T>(pattern: T | RegExp): T | { kind: 'regex'; source: string; flags: string } {
  return pattern instanceof RegExp ? { kind: 'regex', source: pattern.source, flags: pattern.flags } : pattern;
}
