// The messages between shim, bridge, background and panel, one map per hop:
//
//   shim ──ShimEvents──▶ bridge ──ShimEvents──▶ background ──PanelEvents──▶ panel
//   shim ◀─ShimCommands── bridge ◀─ContentCommands── background ◀─PanelCommands── panel
//
// A map names each message type and its fields; the envelope (`v`, `type`),
// the validators, the senders and the dispatch all derive from it, so a new
// command is one entry in SocketCommands, its validator in SOCKET_COMMANDS
// (./readers.ts) and its handler in the shim: the compiler refuses any of the three missing.
//
// A batch crosses as one JSON string (`body`, see ./records.ts) that the
// bridge and the background pass on untouched: each hop then copies a string
// instead of cloning thousands of small objects. Everything the shim sends is
// page-controlled: the bridge checks the envelope and bounds the body's length
// (`readShimEvent`, ./readers.ts); the panel checks every field of the body
// (`readBatch`, ./records.ts) before anything reaches its log.
import type { Fields } from './check';
import type { OriginSetting } from './names';
import type { HeldMessage, WorkerKind } from './records';

/** The wire contract's version, carried by every envelope as `v`. */
export const WIRE_VERSION = 12;

/** A message of map `M`: its type and fields in one envelope. */
export type Envelope<M, K extends keyof M = keyof M> = K extends keyof M ? { v: typeof WIRE_VERSION; type: K } & M[K] : never;

/** For each type of `M`, the fields of an untrusted message of that type, checked and copied, or null. */
export type Validators<M> = { readonly [K in keyof M]: (x: Fields) => M[K] | null };

/** For each type of `M`, what to do with a message of that type. */
export type Handlers<M> = { readonly [K in keyof M]: (message: Envelope<M, K>) => void };

export const envelope = <M, K extends keyof M & string>(type: K, fields: M[K]): Envelope<M, K> =>
  ({ v: WIRE_VERSION, type, ...fields }) as Envelope<M, K>;

/**
 * Hands a message to its type's handler. Property reads only: the shim
 * dispatches in the page, whose built-ins are the page's to patch.
 */
export function dispatch<M>(handlers: Handlers<M>, message: Envelope<M>): void {
  (handlers[message.type as keyof M] as (message: Envelope<M>) => void)(message);
}

/**
 * A rule the panel set. `rule` is read with `readAnyRule` where it is applied;
 * `instance`, when set, limits it to that document's shim (a rule for one
 * socket: socket ids are unique only within a document); `label` says what
 * the user chose, for the panel's list.
 */
export interface PanelRule {
  rule: unknown;
  instance: string | null;
  label: string;
}

/** The panel drives the page as a consumer of one socket, in one document. */
export type ConsumerAction = 'pause' | 'resume' | 'step' | 'follow-rule';

/**
 * A message the user sends or delivers from the panel: text as it is, bytes
 * as base64 (the runtime ports carry JSON). At most OWN_MESSAGE_BYTES.
 */
export type OwnData = string | { base64: string };

/** The largest message Sockscope sends or delivers for the user, from the panel or a test (shim/talk-back/own-message.ts). */
export const OWN_MESSAGE_BYTES = 16 * 1024 * 1024;

/** What the user asks of one socket of one document. */
export interface SocketTarget {
  instance: string;
  socketId: number;
}

/** The user's operations on a socket, as a `refused` event names them. */
export type TalkAction = 'send' | 'inject' | 'close';

/** Held messages a `held` event lists, oldest first (it counts the rest), and the characters of each one's data it carries. */
export const HELD_LISTED = 100;
export const HELD_DATA_CHARS = 64 * 1024;

/** A message held at a breakpoint, as the panel gets it: its data cut to HELD_DATA_CHARS (`truncated`: the panel cannot edit it, only let it go or drop it). */
export interface WireHeld extends HeldMessage {
  truncated: boolean;
}

/** Workers a `workers` event lists (the latest started; it counts the rest), and the characters of each one's script URL it carries. */
export const WORKERS_LISTED = 50;
export const WORKER_URL_CHARS = 2048;

/** Whether a worker a realm started runs Sockscope's shim: its port came (`captured`), its first message was its own (`not-captured`), or it said nothing yet (`unknown`). */
export type WorkerStatus = 'captured' | 'not-captured' | 'unknown';

/** A worker a realm started, as its `workers` event lists it. `url`: the script URL as the page gave it (cut to WORKER_URL_CHARS), null when it was neither a string nor a URL. */
export interface WireWorker {
  kind: 'dedicated' | 'shared';
  url: string | null;
  status: WorkerStatus;
}

/** Per shim instance, the highest message seq the panel already holds from it. */
export type SeqMarks = Record<string, number>;

/**
 * Commands from the panel to the shims of its tab, which the background and
 * the bridge relay as they are: a new one is an entry here, its validator in
 * SOCKET_COMMANDS, and its handler in the shim.
 */
export interface SocketCommands {
  /**
   * The panel's shaping rules for a tab, all of them: each shim replaces the
   * ones it had from the panel with these (rules a page set through
   * `sockscope.shape` stay). The wire only bounds the list.
   */
  shape: { rules: PanelRule[] };
  consumer: { instance: string; socketId: number; action: ConsumerAction };
  /** Sends `data` to the server as the page would. */
  send: SocketTarget & { data: OwnData };
  /** Delivers `data` to the page as if the server sent it. */
  inject: SocketTarget & { data: OwnData };
  /** Closes the socket as the page's close(code, reason) would; code null for none. */
  close: SocketTarget & { code: number | null; reason: string };
  /** Lets a message held at a breakpoint go: as it is (`data` null), with `data` instead, or dropped. */
  release: { instance: string; id: number; data: OwnData | null; drop: boolean };
}

/** Shim → bridge, relayed to the background as they are. */
export interface ShimEvents {
  /**
   * A realm's shim, once connected: a document's (`worker` null) or a worker's. `farewell`: the
   * secret event type its last batches come by, dispatched on the window as the document goes
   * away (a port's messages are not delivered then).
   */
  hello: { instance: string; worker: WorkerKind | null; farewell: string };
  batch: { instance: string; body: string };
  /** The shim refused a user's operation (the socket closed meanwhile, say): `reason` is its error's message. */
  refused: SocketTarget & { action: TalkAction; reason: string };
  /** The messages held at breakpoints in this document, whenever that changes and when a panel subscribes; `more` counts those not listed. */
  held: { instance: string; messages: WireHeld[]; more: number };
  /** The workers this realm started, oldest first, whenever one starts or is heard from and when a panel subscribes; `more` counts earlier ones not listed. */
  workers: { instance: string; workers: WireWorker[]; more: number };
}

/** Bridge → shim. `since`: the highest seq the panel already holds from this shim. */
export interface ShimCommands extends SocketCommands {
  subscribe: { since: number };
  unsubscribe: Record<never, never>;
}

/**
 * Chromium: what a service worker's engine passes its debugger binding, as
 * JSON: the debugging session's client a ShimEvent is for (every session
 * hears every call), and the event.
 */
export interface BindingMessage {
  client: string;
  message: unknown;
}

/**
 * Firefox: what the bridges of an origin say to its service worker's engine on
 * their secret BroadcastChannel: a client opens its channel, then sends it
 * commands. The engine answers with BindingMessages (every bridge hears every
 * one: each keeps its own client's), and says it started, so that bridges
 * open again when their worker restarts.
 */
export type ToServiceWorker = { client: string; open: true } | { client: string; command: unknown };
export type FromServiceWorker = { started: true } | BindingMessage;

/** Background → bridge. */
export interface ContentCommands extends SocketCommands {
  subscribe: { since: SeqMarks };
  unsubscribe: Record<never, never>;
}

/** Panel → background. */
export interface PanelCommands extends SocketCommands {
  attach: { tabId: number };
  subscribe: { since: SeqMarks };
}

/** The document a shim's message came from, as the background knows it. */
export interface FromFrame {
  frameId: number;
}

/** A header as the network layer saw it. */
export type Header = [name: string, value: string];

/**
 * A socket's opening handshake, as the network layer of the browser saw it
 * (the background's webRequest listener): also for sockets no shim reports.
 */
export interface Handshake {
  /** The browser's id of the request, unique in its session. */
  requestId: string;
  url: string;
  /** The frame the request belongs to (-1: none, a worker's in some browsers). */
  frameId: number;
  /** When the request was sent, ms since the epoch. */
  at: number;
  requestHeaders: Header[];
  /** The response's status (101 when the socket opened); null before one came. */
  status: number | null;
  responseHeaders: Header[];
  /** Why the handshake failed, as the browser words it; null when it did not. */
  error: string | null;
}

/** Background → panel: what each document's shim said, and the tab's rules on attach. */
export interface PanelEvents {
  hello: ShimEvents['hello'] & FromFrame;
  batch: ShimEvents['batch'] & FromFrame;
  refused: ShimEvents['refused'] & FromFrame;
  held: ShimEvents['held'] & FromFrame;
  workers: ShimEvents['workers'] & FromFrame;
  shape: SocketCommands['shape'];
  /** A handshake the network saw, new or changed (every one the tab kept, on attach). */
  handshake: { handshake: Handshake };
}

export type ShimEvent = Envelope<ShimEvents>;
export type ShimCommand = Envelope<ShimCommands>;
export type ContentCommand = Envelope<ContentCommands>;
export type PanelCommand = Envelope<PanelCommands>;
export type PanelEvent = Envelope<PanelEvents>;

/**
 * Panel → background, as one-off requests with an answer: the inspected
 * page's origin and one option's setting there, changed when `enabled` is given.
 */
export interface BackgroundRequests {
  'origin-option': { option: OriginSetting; tabId: number; enabled?: boolean };
}

/** The background's answer to 'origin-option'. `origin` is null until the tab shows a page Sockscope instruments. */
export interface OriginOptionSetting {
  origin: string | null;
  enabled: boolean;
}
