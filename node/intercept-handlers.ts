// Breakpoints decided in the test: each message a handler's rule holds goes
// to the handler, and is let go as it says. A handler that throws or takes
// too long lets its message go as it is, and the failure is told by the
// helper's next call.
import type { HeldMessage } from '../shim/wire/records';
import type { MessageData } from './playwright';
import { plainData } from './plain';

/** A held message as a handler gets it: text, or its bytes. */
export type InterceptedMessage = Omit<HeldMessage, 'data'> & { data: string | Buffer };
/** Nothing: the message goes on as it is; data: in its place; `{ drop: true }`: no further. */
export type HandlerResult = MessageData | { drop: true } | undefined | void;
export type InterceptHandler = (message: InterceptedMessage) => HandlerResult | Promise<HandlerResult>;

/** How often a handler's breakpoint is looked at for held messages. */
const HANDLER_POLL_MS = 25;

export class InterceptHandlers {
  /** The rules whose breakpoints a handler serves. */
  private readonly serving = new Set<number>();

  constructor(
    private readonly paused: () => Promise<HeldMessage[]>,
    private readonly release: (id: number, change: { data?: unknown; drop?: boolean }) => Promise<void>,
    private readonly fail: (error: Error) => void,
  ) {}

  /**
   * Hands each message the rule holds to `handler`, oldest first, one at a
   * time (the page lets them go in order anyway), until the rule is removed
   * or the page closes.
   */
  serve(ruleId: number, handler: InterceptHandler, timeoutMs: number): void {
    this.serving.add(ruleId);
    void this.loop(ruleId, handler, timeoutMs);
  }

  stop(ruleId: number): void {
    this.serving.delete(ruleId);
  }

  private async loop(ruleId: number, handler: InterceptHandler, timeoutMs: number): Promise<void> {
    while (this.serving.has(ruleId)) {
      try {
        const held = await this.paused();
        for (const message of held) if (message.ruleId === ruleId && this.serving.has(ruleId)) await this.decide(ruleId, message, handler, timeoutMs);
      } catch (error) {
        // A navigation ends the document and what it held; a closed page ends the handler.
        if (/closed/i.test(`${(error as Error).message}`)) return;
      }
      await sleep(HANDLER_POLL_MS);
    }
  }

  private async decide(ruleId: number, held: HeldMessage, handler: InterceptHandler, timeoutMs: number): Promise<void> {
    let change: { data?: unknown; drop?: boolean } = {};
    try {
      const message = { ...held, data: held.type === 'text' ? held.data : Buffer.from(held.data, 'base64') };
      const result = await withTimeout(Promise.resolve().then(() => handler(message)), timeoutMs);
      if (isDrop(result)) change = { drop: true };
      else if (result !== undefined) change = { data: plainData(result) };
    } catch (error) {
      this.fail(new Error(`the intercept handler of rule ${ruleId} failed, and its message went on as it was: ${(error as Error).message}`));
    }
    try {
      await this.release(held.id, change);
    } catch {
      // Let go already (the rule removed), or the document is gone: nothing is held any more.
    }
  }
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
export async function poll<T>(look: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  for (const started = Date.now(); ; ) {
    const found = await look();
    if (found !== undefined) return found;
    if (Date.now() - started > timeoutMs) throw new Error(`${what} after ${timeoutMs} ms`);
    await sleep(20);
  }
}
