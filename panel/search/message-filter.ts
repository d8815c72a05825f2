// Which messages the table shows: by direction, by type, without control
// messages (heartbeats), and by free text or /regex/. One compiled test per
// filter, run over a log's columns: it reads only previews, so a million
// messages filter at once; a long message whose full payload is held and whose
// preview cannot settle the query is left to `deep`, which a view runs a
// little at a time. The columns may be the panel's log or a worker's copy of
// them (./log-mirror.ts): the same code filters both.
import { BINARY, LONG, SEND } from '../model/message-log';
import { IndexBuffer } from '../model/index-buffer';
import { MatchBits } from './match-bits';
import { GENERIC_HEARTBEATS, HEARTBEATS } from '../decoders/heartbeats';

export interface MessageFilter {
  send: boolean;
  receive: boolean;
  text: boolean;
  binary: boolean;
  /** Hide heartbeat-like messages (CONTROL_PATTERNS and `controlPatterns`). */
  hideControl: boolean;
  /** The user's own control patterns, regular expression sources. */
  controlPatterns: string[];
  /** Free text (case-insensitive), or `/source/flags` for a regular expression; '' for none. */
  query: string;
  /** Search every socket's messages, not only the selected socket's. */
  allSockets: boolean;
}

export const NO_FILTER: MessageFilter = { send: true, receive: true, text: true, binary: true, hideControl: false, controlPatterns: [], query: '', allSockets: false };

/** Heartbeats of common protocols, as whole text messages (../decoders/heartbeats.ts), and the ping/pong words. */
export const CONTROL_PATTERNS: readonly RegExp[] = [...GENERIC_HEARTBEATS, ...Object.values(HEARTBEATS)];

/** Longest query or pattern source: a regular expression is compiled per keystroke. */
const MAX_SOURCE = 1_000;
/** Most control patterns of the user's: each is tried on every text message. */
export const MAX_CONTROL_PATTERNS = 50;

/** `text`: `needle` lowercased for highlighting, `regex` the same search case-insensitively, for filtering without copying. */
export type Query = { kind: 'none' } | { kind: 'text'; needle: string; regex: RegExp } | { kind: 'regex'; regex: RegExp };

/** Reads the query box: `/…/flags` is a regular expression, anything else text. Throws a message for a bad one. */
export function readQuery(query: string): Query {
  if (query === '') return { kind: 'none' };
  if (query.length > MAX_SOURCE) throw new FilterError(`the filter is longer than ${MAX_SOURCE} characters`);
  const literal = /^\/(.+)\/([a-z]*)$/s.exec(query);
  if (!literal) return { kind: 'text', needle: query.toLowerCase(), regex: new RegExp(query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i') };
  const [, source, flags] = literal;
  if (!/^[imsuv]*$/.test(flags)) throw new FilterError(`/${source}/${flags}: only the flags i, m, s, u and v apply to a filter`);
  return { kind: 'regex', regex: compile(source, flags) };
}

export class FilterError extends Error {
  override readonly name = 'FilterError';
}

function compile(source: string, flags: string): RegExp {
  if (source.length > MAX_SOURCE) throw new FilterError(`a pattern is longer than ${MAX_SOURCE} characters`);
  try {
    return new RegExp(source, flags);
  } catch (error) {
    throw new FilterError(`/${source}/: ${(error as Error).message}`);
  }
}

/** A message's verdict from its preview. */
export const HIDDEN = 0;
export const SHOWN = 1;
/** Everything but the query lets it through, and only its full payload can say whether the query matches. */
export const UNSETTLED = 2;
export type Verdict = typeof HIDDEN | typeof SHOWN | typeof UNSETTLED;

/** What a filter reads of a log: messages by slot, `index % capacity`. */
export interface MessageColumns {
  readonly capacity: number;
  /** Each message's socket number. */
  readonly socket: Uint32Array;
  readonly flags: Uint8Array;
  readonly preview: readonly string[];
  /** Long messages from this index on hold their full payload: payloads are let go oldest first. */
  readonly payloadFrom: number;
}

export interface CompiledFilter {
  /** A message's verdict, by its index and its slot in the columns. */
  test(index: number, slot: number): Verdict;
  /** An UNSETTLED message's query over its full payload (or its preview, if the payload has gone since). */
  deep(data: string): boolean;
}

/** The filter compiled over `columns`; throws a FilterError for a bad query or pattern. */
export function compileFilter(filter: MessageFilter, columns: MessageColumns): CompiledFilter {
  const query = readQuery(filter.query);
  if (filter.controlPatterns.length > MAX_CONTROL_PATTERNS) throw new FilterError(`more than ${MAX_CONTROL_PATTERNS} heartbeat patterns`);
  const control = filter.hideControl ? [...CONTROL_PATTERNS, ...filter.controlPatterns.map((source) => compile(source, ''))] : [];
  const { flags, preview } = columns;
  const directionsAll = filter.send && filter.receive;
  const typesAll = filter.text && filter.binary;
  const search = query.kind === 'none' ? null : query.regex;
  // Text found in a preview is in the payload too; a regular expression may read past the preview (`$`, lookarounds).
  const previewDecides = query.kind === 'text';
  const test = (index: number, slot: number): Verdict => {
    const bits = flags[slot];
    if (!directionsAll && !(bits & SEND ? filter.send : filter.receive)) return HIDDEN;
    const binary = (bits & BINARY) !== 0;
    if (!typesAll && !(binary ? filter.binary : filter.text)) return HIDDEN;
    const text = preview[slot];
    if (!binary && control.length > 0 && control.some((pattern) => pattern.test(text))) return HIDDEN;
    if (search === null) return SHOWN;
    if (!(bits & LONG) || index < columns.payloadFrom) return search.test(text) ? SHOWN : HIDDEN;
    return previewDecides && search.test(text) ? SHOWN : UNSETTLED;
  };
  const deep = (data: string): boolean => search !== null && search.test(data);
  return { test, deep };
}

/** Tests the messages of [from, to), of one socket or (null) every one, adding their indices to `shown` or `unsettled`. */
export function filterRange(columns: MessageColumns, test: CompiledFilter['test'], socket: number | null, from: number, to: number, shown: MatchBits, unsettled: IndexBuffer): void {
  const { capacity, socket: sockets } = columns;
  let slot = from % capacity;
  for (let index = from; index < to; index++) {
    if (socket === null || sockets[slot] === socket) {
      const verdict = test(index, slot);
      if (verdict === SHOWN) shown.add(index);
      else if (verdict === UNSETTLED) unsettled.push(index);
    }
    if (++slot === capacity) slot = 0;
  }
}

/** The messages of [from, to) that `test` shows, and those only their full payload can settle, gathered afresh. */
export function searchRange(columns: MessageColumns, test: CompiledFilter['test'], socket: number | null, from: number, to: number): { shown: MatchBits; unsettled: IndexBuffer } {
  const found = { shown: new MatchBits(from, to - from), unsettled: new IndexBuffer() };
  filterRange(columns, test, socket, from, to, found.shown, found.unsettled);
  return found;
}

/** Where the query matches `text`, as [start, end) ranges, at most `max`: what a row highlights. */
export function matchRanges(query: Query, text: string, max = 20): [number, number][] {
  const ranges: [number, number][] = [];
  if (query.kind === 'text') {
    const lower = text.toLowerCase();
    for (let at = lower.indexOf(query.needle); at >= 0 && ranges.length < max; at = lower.indexOf(query.needle, at + query.needle.length)) {
      ranges.push([at, at + query.needle.length]);
    }
  } else if (query.kind === 'regex') {
    const global = new RegExp(query.regex.source, query.regex.flags.includes('g') ? query.regex.flags : `${query.regex.flags}g`);
    for (const match of text.matchAll(global)) {
      if (ranges.length === max) break;
      // An empty match highlights nothing (and matchAll steps past it).
      if (match[0].length > 0) ranges.push([match.index, match.index + match[0].length]);
    }
  }
  return ranges;
}

/** True when the filter hides no message of the sockets it looks at. */
export const isNoFilter = (filter: MessageFilter): boolean =>
  filter.send && filter.receive && filter.text && filter.binary && !filter.hideControl && filter.query === '';
