// The page's `sockscope` global, which dist/shim.js defines for test automation:
// what the standalone build implements and what the Node-side helpers call.
import type { HeldMessage, MessageRecord, SocketInfo } from './records';

export interface DirectionStats {
  heldMessages: number;
  heldBytes: number;
  /** More than HELD_WARNING_BYTES (shim/shaping/shaping.ts) is held: worth a warning; nothing is dropped. */
  overCap: boolean;
  deliveredMessages: number;
  deliveredBytes: number;
}

export interface ShapingStats {
  /** The rule applied to the socket now, or null. */
  ruleId: number | null;
  up: DirectionStats;
  /** Held and delivered by the network; `consumer` counts what the page has been handed. */
  down: DirectionStats;
  /** `paused` is what is in force; `overridden`: the user's pause or resume, not the rule, says it. */
  consumer: DirectionStats & { paused: boolean; overridden: boolean };
}

export interface ConsumerControl {
  /** Hold what the server sends this socket until resumed, whatever its rule says. */
  pause(): void;
  /** Hand the page what the server sends, whatever its rule says. */
  resume(): void;
  /** Undo pause and resume: the socket's rule says again whether its consumer is paused. */
  followRule(): void;
  /** Hand the page exactly one held message. */
  step(): void;
}

export interface SockscopeApi {
  readonly version: number;
  /** Every socket the page opened, in creation order. */
  sockets(): SocketInfo[];
  /** Retained messages, of one socket or all, oldest first; binary data is base64. */
  messages(socketId?: number): MessageRecord[];
  /** The older name of `messages`: the same list. */
  frames(socketId?: number): MessageRecord[];
  /** Applies a shaping rule (see docs/automation.md) from now on; returns its id. Throws a RuleError for bad input. */
  shape(rule: unknown): number;
  /** Removes a rule; false if there was none with that id. */
  unshape(ruleId: number): boolean;
  /** The page as a consumer of one socket. */
  consumer(socketId: number): ConsumerControl;
  /** What shaping holds and has delivered for one socket, per direction. */
  stats(socketId: number): ShapingStats;
  /**
   * Sends a message on an open socket as the page's own send() or write()
   * would, in order with them; recorded with the mark `sent`. Throws for bad
   * input, an unknown socket or one not open.
   */
  send(socketId: number, data: string | ArrayBuffer | ArrayBufferView): void;
  /**
   * Hands the page a message as if the server sent it (through the consumer;
   * the server never sees it); recorded with the mark `injected`. Throws as `send` does.
   */
  inject(socketId: number, data: string | ArrayBuffer | ArrayBufferView): void;
  /** Closes an open socket as the page's own close(code, reason) would. Throws as `send` does, and for a code or reason the standard refuses. */
  close(socketId: number, code?: number, reason?: string): void;
  /**
   * Closes an open socket as if its server did, with `code` (1000–1003,
   * 1007–1014 or 3000–4999) and `reason`: the page sees that clean close,
   * and the real connection closes. Throws as `send` does, and for a code no server sends.
   */
  serverClose(socketId: number, code: number, reason?: string): void;
  /** Applies an intercept rule (see docs/automation.md) from now on; returns its id. Throws a RuleError for bad input. */
  intercept(rule: unknown): number;
  /** Removes an intercept rule; what its breakpoint held goes on as it is. False if there was none with that id. */
  unintercept(ruleId: number): boolean;
  /** The messages held at breakpoints, oldest first. */
  paused(): HeldMessage[];
  /** Lets a held message go: as it is, with other data, or dropped. Throws for an id held no more. */
  release(id: number, change?: { data?: string | ArrayBuffer | ArrayBufferView; drop?: boolean }): void;
}

