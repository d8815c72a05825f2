// A socket's intercept gate, one per direction: where intercept rules act on
// its messages. A send meets it before the up link; a received message after
// the down link, before the consumer. Messages leave in the order they came.
// A rule's verdict (drop, rewrite, reply) is taken as a message arrives and
// carried out as it leaves; a breakpoint holds a message, and every later one
// waits behind it, until it is released. With no rule and nothing held, a
// message passes untouched: the caller keeps its own path. Nothing here knows
// of sockets or the page: the kinds supply what leaving means.
import { Deque } from '../realm/deque';
import { NativeRegExp, noop, regexExec, stringIncludes, stringSlice } from '../realm/natives';
import { SafeMap } from '../realm/safe-collections';
import { uncurry } from '../realm/uncurry';
import type { Direction } from '../wire/records';
import { MATCHED_CHARS, type ContentMatch, type InterceptRule } from './intercept-rule';
import { fromOwnData, readOwnMessage, type OwnMessage } from './own-message';

/** What happens to a message as it leaves the gate. */
export type Outcome =
  /** It goes on with `data`; `original` is what it was before an edit (null: not edited). */
  | { kind: 'pass'; data: unknown; original: unknown }
  | { kind: 'drop' }
  /** A send is answered with `data` as if from the server, and not sent. */
  | { kind: 'reply'; data: OwnMessage };

export interface Gated {
  /** Text, or bytes (a copy, a buffer or a Blob): only text is matched by content. */
  data: unknown;
  size: number;
  /** Sockscope's own message, or a close: no rule applies, but it keeps its place in the order. */
  exempt: boolean;
  leave(outcome: Outcome): void;
}

/** How a user lets a held message go: as it is, with other data, or not at all. */
export interface Release {
  data?: OwnMessage;
  drop?: boolean;
}

/** A rule as a gate uses it: its id, and what it says of one message (null: it does not apply). */
export interface GateRule {
  id: number;
  verdict(data: unknown): Verdict | null;
}

const AS_IS = 0;
const PAUSE = 1;
type Verdict = typeof AS_IS | typeof PAUSE | Outcome;

interface Waiting {
  item: Gated;
  verdict: Verdict;
  /** The breakpoint's id while held there, and the rule that holds it. */
  pauseId: number;
  ruleId: number;
}

const NO_RULES: readonly GateRule[] = [];
const DROP: Outcome = { kind: 'drop' };

export class Gate {
  /** The rules for this socket and direction, newest first. */
  private rules: readonly GateRule[] = NO_RULES;
  private readonly waiting = new Deque<Waiting>();
  heldBytes = 0;

  constructor(
    readonly socketId: number,
    readonly direction: Direction,
    private readonly breakpoints: Breakpoints,
  ) {}

  get heldCount(): number {
    return this.waiting.length;
  }

  /** No rule applies and nothing is held: messages go by untouched. */
  get idle(): boolean {
    return this.rules.length === 0 && this.waiting.length === 0;
  }

  /** New rules; messages held at a breakpoint whose rule is gone are let go as they are. */
  setRules(rules: readonly GateRule[]): void {
    this.rules = rules.length === 0 ? NO_RULES : rules;
    let changed = false;
    for (let i = 0; i < this.waiting.length; i++) {
      const entry = this.waiting.at(i) as Waiting;
      if (entry.verdict !== PAUSE || ruleIn(rules, entry.ruleId)) continue;
      entry.verdict = AS_IS;
      changed = true;
    }
    if (changed) this.flush();
  }

  /**
   * A message arrives: true when it goes on now, untouched, by the caller's
   * own path; otherwise the gate has taken it, and calls its `leave` now or
   * once what is ahead of it has left.
   */
  enter(item: Gated): boolean {
    let verdict: Verdict = AS_IS;
    let ruleId = 0;
    if (!item.exempt) {
      for (let i = 0; i < this.rules.length; i++) {
        const said = this.rules[i].verdict(item.data);
        if (said === null) continue;
        verdict = said;
        ruleId = this.rules[i].id;
        break;
      }
    }
    if (this.waiting.length === 0 && verdict !== PAUSE) {
      if (verdict === AS_IS) return true;
      item.leave(verdict);
      return false;
    }
    const pauseId = verdict === PAUSE ? this.breakpoints.hold(this) : 0;
    this.waiting.push({ item, verdict, pauseId, ruleId });
    this.heldBytes += item.size;
    return false;
  }

  /**
   * Something that is no message (a close, Sockscope's own delivery) keeps
   * its place behind what the gate holds: `leave` runs once that has left,
   * at once when nothing is held. `size` counts in what the gate holds.
   */
  after(leave: () => void, size = 0): void {
    this.pass({ data: null, size, exempt: true, leave });
  }

  /** A message meets the gate: one untouched leaves at once, as passed. */
  pass(item: Gated): void {
    if (this.enter(item)) item.leave({ kind: 'pass', data: item.data, original: null });
  }

  /** Lets a held message go as `release` says, then what waited behind it, up to the next held one. */
  release(pauseId: number, release: Release): void {
    for (let i = 0; i < this.waiting.length; i++) {
      const entry = this.waiting.at(i) as Waiting;
      if (entry.pauseId !== pauseId || entry.verdict !== PAUSE) continue;
      entry.verdict = release.drop ? DROP : release.data !== undefined ? { kind: 'pass', data: release.data, original: entry.item.data } : AS_IS;
      break;
    }
    this.flush();
  }

  /** The held message with this breakpoint id, if still held, and the id of the rule that holds it. */
  held(pauseId: number): { item: Gated; ruleId: number } | undefined {
    for (let i = 0; i < this.waiting.length; i++) {
      const entry = this.waiting.at(i) as Waiting;
      if (entry.pauseId === pauseId && entry.verdict === PAUSE) return { item: entry.item, ruleId: entry.ruleId };
    }
    return undefined;
  }

  /** The connection is gone: what is held never leaves. */
  clear(): void {
    for (let i = 0; i < this.waiting.length; i++) this.breakpoints.forget((this.waiting.at(i) as Waiting).pauseId);
    this.waiting.clear();
    this.heldBytes = 0;
  }

  private flush(): void {
    for (let head = this.waiting.at(0); head && head.verdict !== PAUSE; head = this.waiting.at(0)) {
      this.waiting.shift();
      this.heldBytes -= head.item.size;
      this.breakpoints.forget(head.pauseId);
      head.item.leave(head.verdict === AS_IS ? { kind: 'pass', data: head.item.data, original: null } : head.verdict);
    }
  }
}

function ruleIn(rules: readonly GateRule[], id: number): boolean {
  for (let i = 0; i < rules.length; i++) if (rules[i].id === id) return true;
  return false;
}

/** A message held at a breakpoint, as the user sees it. */
export interface HeldAt {
  id: number;
  gate: Gate;
  item: Gated;
  ruleId: number;
}

/** Every breakpoint hold of a realm, by id, oldest first: how the user finds and releases one. */
export class Breakpoints {
  private nextId = 1;
  private readonly holds = new SafeMap<number, { id: number; gate: Gate }>();
  /** Runs when a message is held or let go (the panel's list follows it). */
  onChange: () => void = noop;

  hold(gate: Gate): number {
    const id = this.nextId++;
    this.holds.set(id, { id, gate });
    this.onChange();
    return id;
  }

  forget(id: number): void {
    if (id === 0 || !this.holds.delete(id)) return;
    this.onChange();
  }

  /** False when nothing is held with this id (released already, or never). */
  release(id: number, release: Release): boolean {
    const hold = this.holds.get(id);
    if (!hold) return false;
    hold.gate.release(id, release);
    return true;
  }

  list(): HeldAt[] {
    const list: HeldAt[] = [];
    this.holds.forEach(({ id, gate }) => {
      const held = gate.held(id);
      if (held) list[list.length] = { id, gate, item: held.item, ruleId: held.ruleId };
    });
    return list;
  }
}

const regexReplace = uncurry(RegExp.prototype[Symbol.replace]) as unknown as (regex: RegExp, text: string, replacement: string) => string;
const stringSplit = uncurry(String.prototype.split) as unknown as (text: string, separator: string) => string[];
const arrayJoin = uncurry(Array.prototype.join) as (list: string[], separator: string) => string;

/** An intercept rule's verdicts on messages of its direction (the socket match is the rule store's). */
export function gateRule(id: number, rule: InterceptRule): GateRule {
  const { data, type, action } = rule;
  const content = data && contentTest(data);
  const replace = typeof action === 'object' && 'replace' in action ? action.replace : null;
  const replacer = replace && replacerOf(replace.pattern, replace.replacement);
  const verdict: Verdict =
    action === 'drop' ? DROP : action === 'pause' ? PAUSE : 'reply' in action ? { kind: 'reply', data: readOwnMessage(fromOwnData(action.reply), 'action.reply') } : AS_IS;
  return {
    id,
    verdict(message: unknown): Verdict | null {
      const text = typeof message === 'string';
      // A rewrite applies to text only; content patterns look at text only.
      if ((type === 'text' || content || replacer) && !text) return null;
      if (type === 'binary' && text) return null;
      if (content && !content(message as string)) return null;
      if (!replacer) return verdict;
      const edited = replacer(message as string);
      return edited === message ? AS_IS : { kind: 'pass', data: edited, original: message };
    },
  };
}

function contentTest(pattern: ContentMatch): (text: string) => boolean {
  const start = (text: string) => (text.length > MATCHED_CHARS ? stringSlice(text, 0, MATCHED_CHARS) : text);
  if (pattern.kind === 'text') return (text) => stringIncludes(start(text), pattern.value);
  // No g or y flag (readInterceptRule refuses them): exec looks from the start.
  const regex = new NativeRegExp(pattern.source, pattern.flags);
  return (text) => regexExec(regex, start(text)) !== null;
}

/** Every occurrence of a substring (replaced literally), or the regular expression's matches (`$1`… apply). */
function replacerOf(pattern: ContentMatch, replacement: string): (text: string) => string {
  if (pattern.kind === 'text') return (text) => arrayJoin(stringSplit(text, pattern.value), replacement);
  const regex = new NativeRegExp(pattern.source, pattern.flags);
  return (text) => {
    regex.lastIndex = 0;
    return regexReplace(regex, text, replacement);
  };
}
