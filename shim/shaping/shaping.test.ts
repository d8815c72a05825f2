import { describe, expect, it } from 'vitest';
import { readRule } from './rule';
import { readInterceptRule } from '../talk-back/intercept-rule';
import { HELD_WARNING_BYTES, Shaping } from './shaping';
import type { Scheduler } from './stage';

/** Enough of a clock for rules: time stands still, timers and tasks are kept to run by hand. */
function stillClock(): Scheduler & { run(): void } {
  const timers: (() => void)[] = [];
  return {
    now: () => 0,
    at: (_time, fn) => {
      timers.push(fn);
      return () => void 0;
    },
    nextTask: (fn) => void timers.push(fn),
    // Until none is left: a task may queue the next.
    run: () => {
      for (let fn = timers.shift(); fn; fn = timers.shift()) fn();
    },
  };
}

function setup() {
  const dropped: number[] = [];
  const applied: [number, boolean][] = [];
  const clock = stillClock();
  const shaping = new Shaping(clock, () => 0.5, (id) => dropped.push(id), (id, shaped) => applied.push([id, shaped]));
  shaping.track({ id: 1, url: 'ws://a.test/chat', events: true, connecting: () => false });
  shaping.track({ id: 2, url: 'ws://b.test/feed', events: true, connecting: () => false });
  return { shaping, dropped, applied, clock };
}

describe('Shaping', () => {
  it('touches no socket until a rule matches it', () => {
    const { shaping } = setup();
    expect(shaping.active).toBe(false);
    shaping.shape(readRule({ match: '/chat', down: { latencyMs: 100 } }));
    expect(shaping.active).toBe(true);
    expect(shaping.pipeline(1)?.ruleId).toBe(1);
    expect(shaping.pipeline(2)).toBeUndefined();
  });

  it('applies the newest matching rule, and the one before once that goes', () => {
    const { shaping } = setup();
    const broad = shaping.shape(readRule({ match: 'ws://', down: { latencyMs: 100 } }));
    const narrow = shaping.shape(readRule({ match: /b\.test/, down: { latencyMs: 5 } }));
    expect(shaping.stats(1).ruleId).toBe(broad);
    expect(shaping.stats(2).ruleId).toBe(narrow);
    shaping.unshape(narrow);
    expect(shaping.stats(2).ruleId).toBe(broad);
    shaping.unshape(broad);
    expect(shaping.stats(2).ruleId).toBeNull();
    expect(shaping.pipeline(2)?.idle).toBe(true);
  });

  it('says when a rule starts and stops applying to a socket', () => {
    const { shaping, applied } = setup();
    const a = shaping.shape(readRule({ match: 'chat', down: { latencyMs: 1 } }));
    const b = shaping.shape(readRule({ match: 'chat', up: { latencyMs: 1 } }));
    shaping.unshape(b);
    shaping.unshape(a);
    expect(applied).toEqual([
      [1, true],
      [1, false],
    ]);
  });

  it('matches by socket id, and applies rules to sockets opened later', () => {
    const { shaping } = setup();
    shaping.shape(readRule({ match: 3, up: { latencyMs: 1 } }));
    expect(shaping.pipeline(1)).toBeUndefined();
    shaping.track({ id: 3, url: 'ws://c.test/', events: true, connecting: () => false });
    expect(shaping.stats(3).ruleId).toBe(1);
  });

  it('a stall pauses both directions; a consumer pause holds only what the page is handed', () => {
    const { shaping, clock } = setup();
    shaping.shape(readRule({ match: 'chat', offline: 'stall' }));
    const pipeline = shaping.pipeline(1)!;
    const delivered: string[] = [];
    pipeline.up.push({ size: 3, control: false, deliver: () => delivered.push('up') });
    pipeline.holdReceived(4, false, () => delivered.push('down'));
    expect(shaping.stats(1).up.heldBytes).toBe(3);
    expect(shaping.stats(1).down.heldBytes).toBe(4);
    shaping.unshape(1);
    expect(delivered).toEqual(['up', 'down']);

    shaping.overrideConsumer(1, true);
    pipeline.holdReceived(5, false, () => delivered.push('held'));
    expect(shaping.stats(1).consumer).toMatchObject({ heldMessages: 1, heldBytes: 5, paused: true });
    shaping.step(1);
    // The page gets each message in a task of its own: 'down' took the last one.
    expect(delivered).toEqual(['up', 'down']);
    clock.run();
    expect(delivered).toEqual(['up', 'down', 'held']);
    shaping.overrideConsumer(1, false);
    expect(shaping.stats(1).consumer.paused).toBe(false);
  });

  it("the user's resume overrides a rule's paused consumer, and delivers what it held, until the rule's consumer setting changes", () => {
    const { shaping, clock } = setup();
    const [paused] = shaping.replace('panel', [readRule({ match: 'chat', consumer: { paused: true } })]);
    const pipeline = shaping.pipeline(1)!;
    const delivered: string[] = [];
    pipeline.holdReceived(1, false, () => delivered.push('m1'));
    pipeline.holdReceived(0, true, () => delivered.push('close 4000'));
    clock.run();
    expect(delivered).toEqual([]);
    expect(shaping.stats(1).consumer).toMatchObject({ paused: true, overridden: false, heldMessages: 2 });

    shaping.consumerAction(1, 'resume');
    clock.run();
    expect(delivered).toEqual(['m1', 'close 4000']);
    expect(shaping.stats(1).consumer).toMatchObject({ paused: false, overridden: true, heldMessages: 0 });

    // The same rule sent again (the panel sends all of a tab's rules on every change): the user's choice stands.
    shaping.replace('panel', [readRule({ match: 'chat', consumer: { paused: true } }), readRule({ match: 'feed', down: { latencyMs: 1 } })]);
    expect(shaping.stats(1)).toMatchObject({ consumer: { paused: false, overridden: true } });
    expect(shaping.stats(1).ruleId).not.toBe(paused);

    shaping.consumerAction(1, 'follow-rule');
    expect(shaping.stats(1).consumer).toMatchObject({ paused: true, overridden: false });
    shaping.consumerAction(1, 'pause');
    expect(shaping.stats(1).consumer).toMatchObject({ paused: true, overridden: true });
    shaping.consumerAction(1, 'resume');
    // The rule now says something else of the consumer: it applies, the override is gone.
    shaping.replace('panel', [readRule({ match: 'chat', consumer: { paused: true, messagesPerSecond: 5 } })]);
    expect(shaping.stats(1).consumer).toMatchObject({ paused: true, overridden: false });
    shaping.consumerAction(1, 'resume');
    shaping.replace('panel', []);
    expect(shaping.stats(1).consumer).toMatchObject({ paused: false, overridden: false });
  });

  it('a drop rule closes the connection once and forgets what was held', () => {
    const { shaping, dropped } = setup();
    shaping.shape(readRule({ match: 'feed', down: { latencyMs: 1000 } }));
    shaping.pipeline(2)!.down.push({ size: 1, control: false, deliver: () => {} });
    shaping.shape(readRule({ match: 'feed', offline: 'drop' }));
    shaping.shape(readRule({ match: 'feed', offline: 'drop' }));
    expect(dropped).toEqual([2]);
    expect(shaping.stats(2).down.heldMessages).toBe(0);
  });

  it('a refuse rule drops only sockets not open yet; open ones keep what older rules say', () => {
    const { shaping, dropped } = setup();
    const older = shaping.shape(readRule({ match: 'ws://', down: { latencyMs: 5 } }));
    shaping.shape(readRule({ match: 'ws://', offline: 'refuse' }));
    expect(dropped).toEqual([]);
    expect(shaping.stats(1).ruleId).toBe(older);
    shaping.track({ id: 3, url: 'ws://c.test/', events: true, connecting: () => true });
    expect(dropped).toEqual([3]);
  });

  it('replaces the rules of one source and leaves the others', () => {
    const { shaping } = setup();
    const own = shaping.shape(readRule({ match: 'chat', down: { latencyMs: 1 } }));
    const [first] = shaping.replace('panel', [readRule({ match: 'ws://', offline: 'stall' })]);
    expect(shaping.stats(1).ruleId).toBe(first);
    expect(shaping.stats(2).ruleId).toBe(first);
    shaping.replace('panel', []);
    expect(shaping.stats(1).ruleId).toBe(own);
    expect(shaping.stats(2).ruleId).toBeNull();
  });

  it('refuses consumer controls for a socket it does not know', () => {
    const { shaping } = setup();
    expect(() => shaping.step(99)).toThrow('no open socket 99 in this page');
  });

  it('flags a stage holding more than the warning cap, and keeps everything', () => {
    const { shaping, clock } = setup();
    shaping.overrideConsumer(1, true);
    const pipeline = shaping.pipeline(1)!;
    for (let i = 0; i < 3; i++) pipeline.consumer.push({ size: HELD_WARNING_BYTES / 2, control: false, deliver: () => {} });
    expect(shaping.stats(1).consumer).toMatchObject({ heldMessages: 3, overCap: true });
    shaping.overrideConsumer(1, false);
    clock.run();
    expect(shaping.stats(1).consumer).toMatchObject({ heldMessages: 0, deliveredMessages: 3, overCap: false });
  });

  it('keeps the stats of a shaped socket after it closed', () => {
    const { shaping } = setup();
    shaping.overrideConsumer(1, true);
    shaping.forget(1);
    expect(shaping.stats(1).consumer.paused).toBe(true);
    shaping.forget(2);
    expect(() => shaping.stats(2)).toThrow('no open socket 2');
  });

  it('stalls sockets opened while rules are awaited, until they come', () => {
    const shaping = new Shaping(stillClock(), () => 0.5, () => {});
    shaping.awaitRules('panel', 1000);
    expect(shaping.active).toBe(false);
    shaping.track({ id: 1, url: 'ws://a.test/', events: true, connecting: () => false });
    const pipeline = shaping.pipeline(1)!;
    const delivered: string[] = [];
    pipeline.up.push({ size: 1, control: false, deliver: () => delivered.push('up') });
    pipeline.holdReceived(1, false, () => delivered.push('down'));
    shaping.track({ id: 2, url: 'ws://b.test/', events: true, connecting: () => false });
    expect(shaping.stats(2).ruleId).not.toBeNull();
    expect(delivered).toEqual([]);
    const [rule] = shaping.replace('panel', [readRule({ match: 'a.test', down: { latencyMs: 1 } })]);
    expect(shaping.stats(1).ruleId).toBe(rule);
    expect(shaping.stats(2).ruleId).toBeNull();
    expect(delivered).toEqual(['up']);
  });

  it('lets sockets go unshaped when awaited rules never come', () => {
    const clock = stillClock();
    const shaping = new Shaping(clock, () => 0.5, () => {});
    shaping.awaitRules('panel', 1000);
    shaping.track({ id: 1, url: 'ws://a.test/', events: true, connecting: () => false });
    expect(shaping.stats(1).ruleId).not.toBeNull();
    clock.run();
    expect(shaping.stats(1).ruleId).toBeNull();
    shaping.track({ id: 2, url: 'ws://b.test/', events: true, connecting: () => false });
    expect(shaping.pipeline(2)).toBeUndefined();
  });

  it('costs nothing when no socket opens while rules are awaited', () => {
    const shaping = new Shaping(stillClock(), () => 0.5, () => {});
    shaping.awaitRules('panel', 1000);
    shaping.replace('panel', []);
    shaping.track({ id: 1, url: 'ws://a.test/', events: true, connecting: () => false });
    expect(shaping.active).toBe(false);
  });
});

describe('Pipeline: what is received passes the down link, then the consumer', () => {
  it('lets a message through at once only when both would; else delivers it in order, each in a task of its own', () => {
    const { shaping, clock } = setup();
    shaping.track({ id: 9, url: 'ws://x.test/', events: true, connecting: () => false });
    shaping.overrideConsumer(9, true);
    const pipeline = shaping.pipeline(9)!;
    expect(pipeline.admitReceived(3, false)).toBe(false);
    const delivered: string[] = [];
    pipeline.holdReceived(3, false, () => delivered.push('message'));
    pipeline.holdReceived(0, true, () => delivered.push('close'));
    expect(shaping.stats(9).consumer).toMatchObject({ heldMessages: 2, heldBytes: 3 });
    shaping.overrideConsumer(9, false);
    expect(delivered).toEqual(['message']);
    expect(pipeline.admitReceived(3, false)).toBe(false);
    clock.run();
    expect(delivered).toEqual(['message', 'close']);
    expect(pipeline.admitReceived(3, false)).toBe(true);
    expect(shaping.stats(9).consumer.deliveredMessages).toBe(2);
  });
});

describe('Shaping with intercept rules', () => {
  const enter = (gate: { enter: (item: never) => boolean }, data: string, left: unknown[]) =>
    gate.enter({ data, size: data.length, exempt: false, leave: (outcome: unknown) => left.push(outcome) } as never);

  it('gives a matching socket gates with its intercept rules, newest first, per direction, beside its shaping rule', () => {
    const { shaping } = setup();
    shaping.shape(readRule({ match: '/chat', down: { latencyMs: 100 } }));
    shaping.shape(readInterceptRule({ match: '/chat', direction: 'send', action: 'drop' }));
    shaping.shape(readInterceptRule({ match: '/chat', direction: 'send', data: 'keep', action: { replace: ['keep', 'kept'] } }));
    shaping.shape(readInterceptRule({ match: '/feed', direction: 'receive', action: 'pause' }));
    const chat = shaping.pipeline(1)!;
    expect(chat.ruleId).toBe(1);
    const left: unknown[] = [];
    enter(chat.sendGate, 'keep this', left);
    enter(chat.sendGate, 'other', left);
    expect(left).toEqual([{ kind: 'pass', data: 'kept this', original: 'keep this' }, { kind: 'drop' }]);
    expect(chat.receiveGate.idle).toBe(true);
    // An intercept rule alone makes a pipeline, with no shaping rule applied.
    const feed = shaping.pipeline(2)!;
    expect(feed.ruleId).toBeNull();
    expect(enter(feed.receiveGate, 'held', [])).toBe(false);
    expect(shaping.breakpoints.list().map(({ id, gate, item }) => [id, gate.socketId, gate.direction, item.data])).toEqual([[1, 2, 'receive', 'held']]);
    expect(feed.idle).toBe(false);
  });

  it('lets go what a removed breakpoint held, and forgets what a dropped connection held', () => {
    const { shaping, dropped } = setup();
    const pause = shaping.shape(readInterceptRule({ match: '/chat', direction: 'send', action: 'pause' }));
    const left: unknown[] = [];
    enter(shaping.pipeline(1)!.sendGate, 'a', left);
    shaping.unshape(pause);
    expect(left).toEqual([{ kind: 'pass', data: 'a', original: null }]);
    shaping.shape(readInterceptRule({ match: '/feed', direction: 'receive', action: 'pause' }));
    enter(shaping.pipeline(2)!.receiveGate, 'b', left);
    shaping.shape(readRule({ match: '/feed', offline: 'drop' }));
    expect(dropped).toEqual([2]);
    expect(shaping.breakpoints.list()).toEqual([]);
    expect(left).toHaveLength(1);
  });
});
