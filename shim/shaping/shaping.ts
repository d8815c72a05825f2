// The page's shaping: the rules in force, and for each socket they touch, the
// pipeline its messages go through:
//   up:   page send ──▶ [send gate] ──▶ [network up] ──▶ native socket
//   down: native event ──▶ [network down] ──▶ [receive gate] ──▶ [consumer] ──▶ page
// The newest shaping rule that matches a socket is the one applied to it,
// whole; intercept rules act in the gates (../talk-back/gate.ts). A socket no
// rule has touched has no pipeline and costs one check per message.
import { heldPayload, NativePromise, NativeRegExp, noop, promiseThen, regexExec, stringIncludes } from '../realm/natives';
import { Deque } from '../realm/deque';
import { SafeMap } from '../realm/safe-collections';
import { Breakpoints, Gate, gateRule, type Gated, type GateRule } from '../talk-back/gate';
import type { InterceptRule } from '../talk-back/intercept-rule';
import type { ConsumerAction } from '../wire/messages';
import type { DirectionStats, ShapingStats } from '../wire/page-api';
import type { Direction } from '../wire/records';
import type { Rule, Match } from './rule';
import { PASS_THROUGH, Stage, type Item, type Scheduler, type StageSettings } from './stage';

/** Held bytes past which a stage's stats say `overCap` (the panel warns; delivery goes on, oldest first). */
export const HELD_WARNING_BYTES = 64 * 1024 * 1024;
/** Closed sockets whose shaping stats stay readable. */
const KEPT_CLOSED = 1_000;

/** A rule of either kind, as the rule store keeps them: one id space, one order. */
export type AnyRule = Rule | InterceptRule;
const isIntercept = (rule: AnyRule): rule is InterceptRule => 'action' in rule;

export interface ShapedSocket {
  id: number;
  url: string;
  /** The page gets what the consumer hands on as events (a `WebSocket`), not as stream reads. */
  events: boolean;
  /** Not open yet (a refusal applies only then). */
  connecting(): boolean;
}

export class Pipeline {
  readonly up: Stage;
  readonly down: Stage;
  readonly consumer: Stage;
  ruleId: number | null = null;
  /**
   * The user's pause (true) or resume (false) of this socket's consumer, over
   * what the applied rule says, until cleared (null) or the rule's consumer
   * setting changes.
   */
  consumerOverride: boolean | null = null;
  /** What the applied rule says of the consumer. */
  consumerSettings: StageSettings = PASS_THROUGH;
  /** What the applied rule says of the down link (a stall included). */
  downLink: StageSettings = PASS_THROUGH;
  dropped = false;
  /**
   * Completes the stream write the up link or the send gate holds (a stream
   * writes one at a time): a drop forgets what was held, and an erroring
   * writable waits for its write in flight. Set by `heldWrite` and `gatedWrite`.
   */
  heldWriteDone: (() => void) | null = null;

  /** Where intercept rules act: sends before the up link, received messages between the down link and the consumer. */
  readonly sendGate: Gate;
  readonly receiveGate: Gate;

  constructor(scheduler: Scheduler, random: () => number, events: boolean, socketId: number, breakpoints: Breakpoints) {
    this.up = new Stage(scheduler, random);
    this.down = new Stage(scheduler, random);
    this.consumer = new Stage(scheduler, random, events);
    this.sendGate = new Gate(socketId, 'send', breakpoints);
    this.receiveGate = new Gate(socketId, 'receive', breakpoints);
  }

  /**
   * A received message (or a close or error: `control`) that the down link
   * and the consumer would both let through now, counted as passed: true.
   */
  admitReceived(size: number, control: boolean): boolean {
    if (!this.receiveGate.idle || !this.down.wouldPass(size, control) || !this.consumer.wouldPass(size, control)) return false;
    this.down.passed(size, control);
    this.consumer.passed(size, control);
    return true;
  }

  /**
   * Holds a received message or close: `deliver` hands it to the page once
   * the down link, the receive gate, then the consumer let it. `gated` is the
   * message as the gate sees it (its `leave` goes on to the consumer itself);
   * without it (a close, Sockscope's own) the gate keeps it in order only.
   */
  holdReceived(size: number, control: boolean, deliver: () => void, gated: Gated | null = null): void {
    const item: Item = { size, control, deliver };
    this.down.push({ size, control, deliver: () => this.pastDownLink(item, gated) });
  }

  /** A received message past the down link: through the receive gate, then the consumer. */
  pastDownLink(item: Item, gated: Gated | null = null): void {
    if (this.receiveGate.idle && gated === null) return this.consumer.push(item);
    if (gated) this.receiveGate.pass(gated);
    else this.receiveGate.after(() => this.consumer.push(item), item.size);
  }

  /** The page closed: what the server sent and the page was not yet handed never reaches it; a held close still does. */
  discardReceived(): void {
    this.down.discardMessages();
    this.consumer.discardMessages();
  }

  /** Nothing is held and nothing would hold a message: the native path can be taken untouched. */
  get idle(): boolean {
    return (
      this.ruleId === null &&
      this.consumerOverride !== true &&
      this.up.heldCount + this.down.heldCount + this.consumer.heldCount === 0 &&
      this.sendGate.idle &&
      this.receiveGate.idle
    );
  }

  stats(): ShapingStats {
    const of = (stage: Stage): DirectionStats => ({
      heldMessages: stage.heldCount,
      heldBytes: stage.heldBytes,
      overCap: stage.heldBytes > HELD_WARNING_BYTES,
      deliveredMessages: stage.delivered,
      deliveredBytes: stage.deliveredBytes,
    });
    return { ruleId: this.ruleId, up: of(this.up), down: of(this.down), consumer: { ...of(this.consumer), paused: this.isConsumerPaused(), overridden: this.consumerOverride !== null } };
  }

  isConsumerPaused(): boolean {
    return this.consumerOverride ?? this.consumerSettings.paused;
  }
}

export class Shaping {
  private readonly rules = new SafeMap<number, RuleEntry>();
  /** Rule ids by who set them, for `replace`. */
  private readonly sources = new SafeMap<string, number[]>();
  private nextRuleId = 1;
  private readonly sockets = new SafeMap<number, ShapedSocket>();
  private readonly pipelines = new SafeMap<number, Pipeline>();
  /** Closed sockets whose pipelines are kept, oldest first. */
  private readonly forgotten = new Deque<number>();
  /** Every message held at a breakpoint in this realm, by id. */
  readonly breakpoints = new Breakpoints();

  constructor(
    private readonly scheduler: Scheduler,
    private readonly random: () => number,
    /** A rule with `offline: 'drop'` (or `'refuse'`, for a socket not open yet) now applies to this socket: close its connection. */
    private readonly drop: (socketId: number) => void,
    /** A rule now applies to this socket, or none does any more. */
    private readonly applied: (socketId: number, shaped: boolean) => void = noop,
  ) {}

  /** True once any rule or consumer control has ever applied: before that, sockets skip shaping entirely. */
  active = false;
  private readonly activation: (() => void)[] = [];

  /** Calls `fn` when shaping first becomes active (at once if it is). */
  onActive(fn: () => void): void {
    if (this.active) fn();
    else this.activation[this.activation.length] = fn;
  }

  /** From now on the shim keeps the page's view of its sockets (a rule, a consumer control, or a socket Sockscope closed as its server needs it). */
  activate(): void {
    if (this.active) return;
    this.active = true;
    for (let i = 0; i < this.activation.length; i++) this.activation[i]();
    this.activation.length = 0;
  }

  /** The source whose first rules are awaited (see `awaitRules`), or null. */
  private awaited: string | null = null;

  /**
   * Rules from `source` are on their way (the panel's, through the
   * extension): a socket opened before they arrive is stalled until they do,
   * so they apply from its first message. Without a reply in `timeoutMs`, it
   * goes on unshaped. Pages whose sockets open later pay nothing.
   */
  awaitRules(source: string, timeoutMs: number): void {
    this.awaited = source;
    this.scheduler.at(this.scheduler.now() + timeoutMs, () => {
      if (this.awaited === source) this.replace(source, []);
    });
  }

  /** A socket the page opened; the rules in force may apply to it at once. */
  track(socket: ShapedSocket): void {
    this.sockets.set(socket.id, socket);
    if (this.awaited !== null && !this.sources.get(this.awaited)) this.setRules(this.awaited, [STALL_UNTIL_RULES]);
    else if (this.active) this.apply(socket);
  }

  /** A closed socket: no rule applies to it any more; its stats stay readable for a while. */
  forget(socketId: number): void {
    this.sockets.delete(socketId);
    if (!this.pipelines.get(socketId)) return;
    this.forgotten.push(socketId);
    if (this.forgotten.length > KEPT_CLOSED) this.pipelines.delete(this.forgotten.shift() as number);
  }

  /** The socket's pipeline, if shaping ever touched it. */
  pipeline(socketId: number): Pipeline | undefined {
    return this.pipelines.get(socketId);
  }

  shape(rule: AnyRule): number {
    const id = this.nextRuleId++;
    this.rules.set(id, entryOf(id, rule));
    this.activate();
    this.sockets.forEach((socket) => this.apply(socket));
    return id;
  }

  /**
   * Replaces the rules this source set before (the panel's, say) with `rules`,
   * in order; rules from other sources stay. Returns the new ids.
   */
  replace(source: string, rules: AnyRule[]): number[] {
    if (this.awaited === source) this.awaited = null;
    return this.setRules(source, rules);
  }

  private setRules(source: string, rules: AnyRule[]): number[] {
    const old = this.sources.get(source);
    if (old) for (let i = 0; i < old.length; i++) this.rules.delete(old[i]);
    const ids: number[] = [];
    for (let i = 0; i < rules.length; i++) {
      const id = this.nextRuleId++;
      this.rules.set(id, entryOf(id, rules[i]));
      ids[i] = id;
    }
    this.sources.set(source, ids);
    if (ids.length > 0) this.activate();
    this.sockets.forEach((socket) => this.apply(socket));
    return ids;
  }

  unshape(ruleId: number): boolean {
    if (!this.rules.get(ruleId)) return false;
    this.rules.delete(ruleId);
    this.sockets.forEach((socket) => this.apply(socket));
    return true;
  }

  /**
   * Pauses (true) or resumes (false) the page as a consumer of this socket,
   * whatever its rule says, until cleared (null) or the rule's consumer
   * setting changes.
   */
  overrideConsumer(socketId: number, paused: boolean | null): void {
    const pipeline = this.pipelineOf(socketId);
    pipeline.consumerOverride = paused;
    this.configureConsumer(pipeline);
  }

  /** Hands the page exactly one held message of this socket. */
  step(socketId: number): void {
    this.pipelineOf(socketId).consumer.step();
  }

  /** What the user does as the page's consumer of this socket, from the panel or `sockscope.consumer(id)`. */
  consumerAction(socketId: number, action: ConsumerAction): void {
    if (action === 'step') this.step(socketId);
    else this.overrideConsumer(socketId, action === 'follow-rule' ? null : action === 'pause');
  }

  stats(socketId: number): ShapingStats {
    return this.pipelineOf(socketId).stats();
  }

  private pipelineOf(socketId: number): Pipeline {
    let pipeline = this.pipelines.get(socketId);
    if (!pipeline) {
      const socket = this.sockets.get(socketId);
      if (!socket) throw new RangeError(`no open socket ${socketId} in this page`);
      pipeline = new Pipeline(this.scheduler, this.random, socket.events, socketId, this.breakpoints);
      this.pipelines.set(socketId, pipeline);
      this.activate();
    }
    return pipeline;
  }

  /** Applies the newest matching shaping rule (or none), and every matching intercept rule, newest first, to one socket. */
  private apply(socket: ShapedSocket): void {
    let found: ShapingEntry | null = null;
    let send: GateRule[] = [];
    let receive: GateRule[] = [];
    // Insertion order is creation order: the last match is the newest.
    this.rules.forEach((entry) => {
      if (!entry.test(socket)) return;
      // A refusal is for a socket not open yet; an open one keeps what older rules say.
      if (entry.gate === null) {
        if ((entry.rule as Rule).offline !== 'refuse' || socket.connecting()) found = entry as ShapingEntry;
      } else if (entry.direction === 'send') send = newestFirst(entry.gate, send);
      else receive = newestFirst(entry.gate, receive);
    });
    const existing = this.pipelines.get(socket.id);
    if (!found && !existing && send.length === 0 && receive.length === 0) return;
    const pipeline = existing ?? this.pipelineOf(socket.id);
    pipeline.sendGate.setRules(send);
    pipeline.receiveGate.setRules(receive);
    const rule = (found as ShapingEntry | null)?.rule ?? null;
    const ruleId = (found as ShapingEntry | null)?.id ?? null;
    if ((ruleId === null) !== (pipeline.ruleId === null)) this.applied(socket.id, ruleId !== null);
    pipeline.ruleId = ruleId;
    const stalled = rule?.offline === 'stall';
    pipeline.up.configure(link(rule?.up ?? null, stalled));
    pipeline.downLink = link(rule?.down ?? null, stalled);
    pipeline.down.configure(pipeline.downLink);
    const consumer = rule?.consumer ? { ...PASS_THROUGH, ...rule.consumer } : PASS_THROUGH;
    // What the user set stands until the rule says something else of the consumer.
    if (!sameSettings(consumer, pipeline.consumerSettings)) pipeline.consumerOverride = null;
    pipeline.consumerSettings = consumer;
    this.configureConsumer(pipeline);
    if ((rule?.offline === 'drop' || rule?.offline === 'refuse') && !pipeline.dropped) {
      pipeline.dropped = true;
      pipeline.up.clear();
      pipeline.down.clear();
      pipeline.consumer.clear();
      pipeline.sendGate.clear();
      pipeline.receiveGate.clear();
      this.drop(socket.id);
    }
  }

  private configureConsumer(pipeline: Pipeline): void {
    pipeline.consumer.configure({ ...pipeline.consumerSettings, paused: pipeline.isConsumerPaused() });
  }
}

/** Holds every socket, both ways, while the rules are awaited. */
const STALL_UNTIL_RULES: Rule = { match: { kind: 'regex', source: '^', flags: '' }, up: null, down: null, consumer: null, offline: 'stall' };

const sameSettings = (a: StageSettings, b: StageSettings): boolean =>
  a.latencyMs === b.latencyMs && a.jitterMs === b.jitterMs && a.bytesPerSecond === b.bytesPerSecond && a.messagesPerSecond === b.messagesPerSecond && a.paused === b.paused;

function link(settings: Rule['up'], stalled: boolean): StageSettings {
  return settings ? { ...settings, paused: stalled } : { ...PASS_THROUGH, paused: stalled };
}

/**
 * A stream read through a shaped consumer: `read` runs now if the consumer
 * lets a message through, else when it does; the result settles after it.
 */
export function throughConsumer(pipeline: Pipeline, read: () => Promise<void> | void): Promise<void> | void {
  if (pipeline.consumer.admit(0, false)) return read();
  return new NativePromise<void>((resolve) =>
    pipeline.consumer.push({ size: 0, control: false, deliver: () => settle(read(), resolve, () => resolve()) }),
  );
}

/**
 * A stream write the shaped up link holds: `send` gets a copy of it when the
 * link lets it through; the result settles as `send`'s does.
 */
export function heldWrite(pipeline: Pipeline, data: unknown, size: number, send: (held: unknown) => Promise<void> | void): Promise<void> {
  const held = heldPayload(data, size);
  return new NativePromise<void>((resolve, reject) => {
    pipeline.heldWriteDone = resolve;
    pipeline.up.push({
      size,
      control: false,
      deliver: () => {
        pipeline.heldWriteDone = null;
        settle(send(held), resolve, reject);
      },
    });
  });
}

/**
 * A stream write the send gate takes: `enter` hands it to the gate with
 * `onward` (it went on: the write settles as that result does) and
 * `otherwise` (dropped, or answered: it completes). A page's write (`page`)
 * held there completes as well if the connection is dropped.
 */
export function gatedWrite(
  pipeline: Pipeline,
  page: boolean,
  enter: (onward: (result: Promise<void> | void) => void, otherwise: () => void) => void,
): Promise<void> {
  return new NativePromise<void>((resolve, reject) => {
    if (page) pipeline.heldWriteDone = resolve;
    // The up link may hold it next, and keeps its own completion.
    const left = () => pipeline.heldWriteDone === resolve && (pipeline.heldWriteDone = null);
    enter(
      (result) => {
        left();
        settle(result, resolve, reject);
      },
      () => {
        left();
        resolve();
      },
    );
  });
}

/** A dropped stream's write the up link held completes, as writes waiting on the network do when a connection is lost. */
export function completeHeldWrite(pipeline: Pipeline | undefined): void {
  const done = pipeline?.heldWriteDone;
  if (!done) return;
  (pipeline as Pipeline).heldWriteDone = null;
  done();
}

function settle(result: Promise<void> | void, resolve: () => void, reject: (error: unknown) => void): void {
  if (result) promiseThen(result, () => resolve(), reject);
  else resolve();
}

interface RuleEntry {
  id: number;
  rule: AnyRule;
  test: (socket: ShapedSocket) => boolean;
  /** An intercept rule's verdicts, and its direction; null for a shaping rule. */
  gate: GateRule | null;
  direction: Direction | null;
}

type ShapingEntry = RuleEntry & { rule: Rule };

function entryOf(id: number, rule: AnyRule): RuleEntry {
  const intercept = isIntercept(rule);
  return { id, rule, test: matcher(rule.match), gate: intercept ? gateRule(id, rule) : null, direction: intercept ? rule.direction : null };
}

/** `rule` before the others (built without the page-patchable array methods). */
function newestFirst(rule: GateRule, rules: GateRule[]): GateRule[] {
  const list: GateRule[] = [rule];
  for (let i = 0; i < rules.length; i++) list[i + 1] = rules[i];
  return list;
}

function matcher(match: Match): (socket: ShapedSocket) => boolean {
  switch (match.kind) {
    case 'url':
      return (socket) => stringIncludes(socket.url, match.value);
    case 'regex': {
      // No g or y flag (readRule refuses g; y is harmless with lastIndex reset): exec from the start.
      const regex = new NativeRegExp(match.source, match.flags);
      return (socket) => {
        regex.lastIndex = 0;
        return regexExec(regex, socket.url) !== null;
      };
    }
    case 'socket':
      return (socket) => socket.id === match.id;
  }
}
