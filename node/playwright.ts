// The Playwright helper, `import { sockscope } from 'sockscope/playwright'`:
// installs dist/shim.js on a page (before its scripts, on every load) and in
// its workers (node/worker-scripts.ts, node/worker-targets.ts), and wraps
// each realm's `sockscope` API in typed, awaitable calls from the test.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { HeldMessage, MessageRecord, SocketInfo } from '../shim/wire/records';
import type { ConsumerSettings, LinkSettings, Offline } from '../shim/shaping/rule';
import type { ShapingStats } from '../shim/wire/page-api';
import { InterceptHandlers, poll, type InterceptHandler } from './intercept-handlers';
import { FramedApi } from './framed-api';
import type { Operation } from './page-call';
import type { FrameLike } from './page-frames';
import { plainData, plainIntercept, plainRule } from './plain';
import { captureWorkers, workerPrefix, type WorkerPageLike } from './worker-scripts';

export type { HeldMessage, MessageRecord, SocketInfo, ShapingStats };
export type { FrameLike } from './page-frames';
export type { ContextLike, CdpSessionLike, FetchedLike, RequestLike, RouteLike } from './worker-scripts';
export type { TargetSessionLike } from './worker-targets';
export type { HandlerResult, InterceptedMessage, InterceptHandler } from './intercept-handlers';
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
  /**
   * Carry the page's WebSocket over the browser's own WebSocketStream (Chromium), so that a slow or
   * paused consumer holds the server back over TCP, as a WebSocketStream's reader does.
   */
  classicOverStream?: boolean;
  /** Shaping and intercept rules in force from the start of every load, before the page's first message (and in every worker, before its first). */
  rules?: (RuleInput | InterceptInput)[];
  /**
   * Capture the sockets of the page's workers too (Chromium; default true):
   * the helper answers its dedicated and shared workers' scripts itself, with
   * the shim first, by a route on the page's context (see docs/automation.md
   * for how it meets your own routes), and runs the shim in its new service
   * workers over CDP. False: neither, and workers' sockets are not seen.
   */
  captureWorkers?: boolean;
}

/** The part of a Playwright `Page` the helper uses. */
export interface PageLike extends WorkerPageLike {
  addInitScript(script: { content: string }): Promise<unknown>;
  mainFrame(): FrameLike;
  frames(): FrameLike[];
  workers(): (FrameLike & { url(): string })[];
}

/**
 * Every call covers the page's realms, each with its own Sockscope: its
 * frames' documents and its dedicated workers. Lists gather them (a realm's
 * ids are offset so that they stay apart: see node/page-frames.ts), a call on
 * a socket reaches its realm, and a rule not for one socket applies in every
 * realm present.
 */
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

const SHIM = new URL(/* @vite-ignore */ './shim.js', import.meta.url);
/** The same shim minified to one line, for the first line of worker scripts. */
const ONE_LINE_SHIM = new URL(/* @vite-ignore */ './shim-one-line.js', import.meta.url);

function oneLineShim(): string {
  if (!existsSync(ONE_LINE_SHIM)) throw new Error(`${fileURLToPath(ONE_LINE_SHIM)} is missing: it comes with the build (vite build), or pass captureWorkers: false`);
  return readFileSync(ONE_LINE_SHIM, 'utf8');
}

/** Installs Sockscope on `page` and its workers, on every load from the next one; call before `page.goto`. */
export async function sockscope(page: PageLike, options: SockscopeOptions = {}): Promise<Sockscope> {
  const pageOptions = {
    provideWebSocketStream: options.provideWebSocketStream === true,
    classicOverStream: options.classicOverStream === true,
    rules: (options.rules ?? []).map((rule) => ('action' in rule ? plainIntercept(rule) : plainRule(rule))),
  };
  const workers = (options.captureWorkers ?? true) ? await captureWorkers(page, workerPrefix(oneLineShim(), pageOptions)) : null;
  await page.addInitScript({ content: `globalThis.sockscopeOptions = ${JSON.stringify(pageOptions)};\n${readFileSync(SHIM, 'utf8')}` });
  const api = new FramedApi(page, workers);

  // A handler's failure, told by the next call (see `intercept`).
  let failure: Error | null = null;
  const checked = async <R>(act: () => Promise<R>): Promise<R> => {
    const failed = failure;
    failure = null;
    if (failed) throw failed;
    return act();
  };
  const onOne = <R>(operation: Operation, id: number, what: string, args: unknown[] = []) => checked(() => api.inFrame<R>(operation, id, what, args));
  const release = (id: number, change: { data?: unknown; drop?: boolean } | undefined) => api.inFrame<void>('release', id, 'held message', [change]);
  const handlers = new InterceptHandlers(() => api.paused(), release, (error) => (failure ??= error));

  return {
    sockets: () => checked(() => api.sockets()),
    messages: (socketId) => checked(() => api.messages(socketId)),
    frames: (socketId) => checked(() => api.messages(socketId)),
    shape: (rule) => checked(() => api.apply('shape', plainRule(rule))),
    unshape: (ruleId) => checked(() => api.remove('unshape', ruleId)),
    consumer: (socketId) => ({
      pause: () => onOne('pause', socketId, 'socket'),
      resume: () => onOne('resume', socketId, 'socket'),
      step: () => onOne('step', socketId, 'socket'),
      followRule: () => onOne('followRule', socketId, 'socket'),
    }),
    stats: (socketId) => checked(() => api.stats(socketId)),
    send: (socketId, data) => onOne('send', socketId, 'socket', [plainData(data)]),
    inject: (socketId, data) => onOne('inject', socketId, 'socket', [plainData(data)]),
    close: (socketId, ...args) => onOne('close', socketId, 'socket', args),
    serverClose: (socketId, ...args) => onOne('serverClose', socketId, 'socket', args),
    socket: (part, { timeoutMs = 5_000 } = {}) =>
      poll(async () => (await checked(() => api.sockets())).find((socket) => socket.url.includes(part)), timeoutMs, `no socket with "${part}" in its URL`),
    async intercept(rule: InterceptInput | Omit<InterceptInput, 'action'>, handler?: InterceptHandler, { timeoutMs = 30_000 } = {}) {
      if (!handler) return checked(() => api.apply('intercept', plainIntercept(rule as InterceptInput)));
      const ruleId = await checked(() => api.apply('intercept', plainIntercept({ ...rule, action: 'pause' })));
      handlers.serve(ruleId, handler, timeoutMs);
      return ruleId;
    },
    unintercept: (ruleId) => {
      handlers.stop(ruleId);
      return checked(() => api.remove('unintercept', ruleId));
    },
    paused: () => checked(() => api.paused()),
    nextPaused: ({ timeoutMs = 5_000 } = {}) => poll(async () => (await checked(() => api.paused()))[0], timeoutMs, 'no message held at a breakpoint'),
    release: (id, change) => checked(() => release(id, change && change.data !== undefined ? { ...change, data: plainData(change.data) } : change)),
  };
}
