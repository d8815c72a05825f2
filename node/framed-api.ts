// The page's `sockscope` APIs, one per realm (frame or worker), as one: lists
// gather every realm's, a call on a socket or a held message goes to its realm
// with the id there, and a rule not for one socket applies in every realm present.
import type { HeldMessage, MessageRecord, SocketInfo } from '../shim/wire/records';
import type { ShapingStats } from '../shim/wire/page-api';
import { callInFrame, type Operation } from './page-call';
import { PageFrames, type FrameLike, type RealmsLike } from './page-frames';

type Part = { frame: FrameLike; local: number };

export class FramedApi {
  private readonly frames: PageFrames;
  /** The helper's rule ids: each names the rule in every frame it was applied in. */
  private readonly rules = new Map<number, Part[]>();
  private nextRule = 1;

  /** `workers`: the page's workers now, when the helper captures them (see PageFrames). */
  constructor(page: RealmsLike, workers: (() => Promise<FrameLike[]>) | null) {
    this.frames = new PageFrames(page, workers);
  }

  run<R>(frame: FrameLike, operation: Operation, arg: unknown): Promise<R> {
    return frame.evaluate(callInFrame, [operation, arg ?? null] as [Operation, unknown]) as Promise<R>;
  }

  /** A call on one socket or held message, in its frame, with the id there (first of `args`). */
  inFrame<R>(operation: Operation, id: number, what: string, args: unknown[] = []): Promise<R> {
    const { frame, local } = this.frames.locate(id, what);
    return this.run<R>(frame, operation, args.length === 0 ? local : [local, ...args]);
  }

  sockets(): Promise<SocketInfo[]> {
    return this.gather<SocketInfo>('sockets', (socket, base) => ({ ...socket, id: socket.id + base }));
  }

  paused(): Promise<HeldMessage[]> {
    return this.gather<HeldMessage>('paused', (held, base, frame) => ({ ...held, id: held.id + base, socketId: held.socketId + base, ruleId: this.ruleIdOf(frame, base, held.ruleId) }));
  }

  /** One socket's shaping stats, with its rule's id as the helper gave it. */
  async stats(socketId: number): Promise<ShapingStats> {
    const { frame, base } = this.frames.locate(socketId, 'socket');
    const stats = await this.inFrame<ShapingStats>('stats', socketId, 'socket');
    return stats.ruleId === null ? stats : { ...stats, ruleId: this.ruleIdOf(frame, base, stats.ruleId) };
  }

  /** One socket's messages, or every realm's, oldest first. */
  async messages(socketId?: number): Promise<MessageRecord[]> {
    const translate = (message: MessageRecord, base: number) => ({ ...message, socketId: message.socketId + base });
    if (socketId === undefined) return (await this.gather<MessageRecord>('messages', translate)).sort((a, b) => a.time - b.time);
    const { base } = this.frames.locate(socketId, 'socket');
    return (await this.inFrame<MessageRecord[]>('messages', socketId, 'socket')).map((message) => translate(message, base));
  }

  /** Applies a rule: in its socket's realm when it names one, else in every realm present (the main frame first: a bad rule is refused there, and applied nowhere). */
  async apply(operation: 'shape' | 'intercept', rule: Record<string, unknown>): Promise<number> {
    const { match } = rule;
    const socketId = typeof match === 'number' ? match : (match as { kind?: unknown; id?: unknown })?.kind === 'socket' ? (match as { id: number }).id : null;
    let parts: Part[];
    if (socketId !== null) {
      const { frame, local } = this.frames.locate(socketId, 'socket');
      parts = [{ frame, local: await this.run<number>(frame, operation, { ...rule, match: local }) }];
    } else {
      const [main, ...others] = await this.frames.all();
      parts = [{ frame: main.frame, local: await this.run<number>(main.frame, operation, rule) }];
      for (const { frame } of others) {
        await this.run<number>(frame, operation, rule).then((local) => parts.push({ frame, local }), () => undefined);
      }
    }
    const id = this.nextRule++;
    this.rules.set(id, parts);
    return id;
  }

  async remove(operation: 'unshape' | 'unintercept', ruleId: number): Promise<boolean> {
    const parts = this.rules.get(ruleId);
    if (!parts) return false;
    this.rules.delete(ruleId);
    const removed = await Promise.all(parts.map(({ frame, local }) => this.run<boolean>(frame, operation, local).catch(() => false)));
    return removed.includes(true);
  }

  /** A frame's rule id as the helper gave it, or offset as its sockets' ids are (a rule from the install-time options). */
  private ruleIdOf(frame: FrameLike, base: number, local: number): number {
    for (const [id, parts] of this.rules) if (parts.some((part) => part.frame === frame && part.local === local)) return id;
    return base + local;
  }

  /** What every realm answers, the main frame first; a realm gone or going meanwhile, or a worker without Sockscope, answers nothing. The main frame's error is the call's. */
  private async gather<T>(operation: Operation, translate: (found: T, base: number, frame: FrameLike) => T): Promise<T[]> {
    const answers = await Promise.all(
      (await this.frames.all()).map(({ frame, base }) =>
        this.run<T[]>(frame, operation, null).then(
          (list) => list.map((found) => translate(found, base, frame)),
          (error: unknown) => {
            if (base === 0) throw error;
            return [];
          },
        ),
      ),
    );
    return answers.flat();
  }
}
