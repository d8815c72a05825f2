// A page's SharedWorkers as realms the helper can call: Playwright lists no
// SharedWorker (page.workers() has the dedicated ones only), so the helper
// reaches each over its own CDP session on the page: it attaches to the
// worker's target (not flattened: the worker's messages go through
// Target.sendMessageToTarget) and evaluates there. A page's SharedWorkers are
// the ones whose script the helper answered for it; another page of the same
// origin that uses one sees the same sockets.
import type { FrameLike } from './page-frames';

interface TargetInfo {
  targetId: string;
  type: string;
  url: string;
  browserContextId?: string;
}

/** The CDP calls and events the helper uses, as Playwright's `CDPSession` has them. */
export interface TargetSessionLike {
  send(method: 'Target.getTargetInfo'): Promise<{ targetInfo: TargetInfo }>;
  send(method: 'Target.getTargets'): Promise<{ targetInfos: TargetInfo[] }>;
  send(method: 'Target.attachToTarget', params: { targetId: string; flatten: boolean }): Promise<{ sessionId: string }>;
  send(method: 'Target.sendMessageToTarget', params: { sessionId: string; message: string }): Promise<unknown>;
  on(event: 'Target.receivedMessageFromTarget', listener: (event: { sessionId: string; message: string }) => void): unknown;
  on(event: 'Target.detachedFromTarget', listener: (event: { sessionId: string }) => void): unknown;
}

/** Runtime.evaluate's answer, as far as the helper reads it. */
interface Evaluated {
  result?: { value?: { value?: unknown; error?: string } };
  exceptionDetails?: { text: string };
}

export class SharedWorkers {
  /** The attached workers, by target id. */
  private readonly realms = new Map<string, Promise<SharedWorkerRealm>>();
  private readonly bySession = new Map<string, SharedWorkerRealm>();
  private readonly context: Promise<string | undefined>;

  /** `ours(url)`: whether the helper answered that worker script for this page. */
  constructor(
    private readonly cdp: TargetSessionLike,
    private readonly ours: (url: string) => boolean,
  ) {
    this.context = cdp.send('Target.getTargetInfo').then(({ targetInfo }) => targetInfo.browserContextId);
    cdp.on('Target.receivedMessageFromTarget', ({ sessionId, message }) => this.bySession.get(sessionId)?.receive(message));
    cdp.on('Target.detachedFromTarget', ({ sessionId }) => this.gone(sessionId));
  }

  /** The page's SharedWorkers now, in the order the browser lists them. */
  async all(): Promise<FrameLike[]> {
    const [{ targetInfos }, context] = await Promise.all([this.cdp.send('Target.getTargets'), this.context]);
    const targets = targetInfos.filter((target) => target.type === 'shared_worker' && target.browserContextId === context && this.ours(target.url));
    const attached = await Promise.all(targets.map((target) => this.attach(target.targetId).catch(() => null)));
    return attached.filter((realm) => realm !== null);
  }

  private attach(targetId: string): Promise<SharedWorkerRealm> {
    let realm = this.realms.get(targetId);
    if (!realm) {
      realm = this.cdp.send('Target.attachToTarget', { targetId, flatten: false }).then(({ sessionId }) => {
        const attached = new SharedWorkerRealm((message) => this.cdp.send('Target.sendMessageToTarget', { sessionId, message }));
        this.bySession.set(sessionId, attached);
        return attached;
      });
      // A failed attach is tried again next time.
      realm.catch(() => this.realms.delete(targetId));
      this.realms.set(targetId, realm);
    }
    return realm;
  }

  private gone(sessionId: string): void {
    const realm = this.bySession.get(sessionId);
    if (!realm) return;
    this.bySession.delete(sessionId);
    realm.close();
    for (const [targetId, attached] of this.realms) void attached.then((found) => found === realm && this.realms.delete(targetId));
  }
}

/** One SharedWorker: `evaluate` runs a function of the helper's there, as a Playwright `Worker` would. */
class SharedWorkerRealm implements FrameLike {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(value: Evaluated): void; reject(error: Error): void }>();
  private closed = false;

  constructor(private readonly post: (message: string) => Promise<unknown>) {}

  async evaluate<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R> {
    if (this.closed) throw new Error('the SharedWorker is gone');
    // The function's own text, called with its argument as JSON; its error crosses as its message.
    const expression = `(async () => { try { return { value: await (${fn.toString()})(${JSON.stringify(arg)}) }; } catch (error) { return { error: String(error?.message ?? error) }; } })()`;
    const id = this.nextId++;
    const answer = new Promise<Evaluated>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    await this.post(JSON.stringify({ id, method: 'Runtime.evaluate', params: { expression, awaitPromise: true, returnByValue: true } }));
    const { result, exceptionDetails } = await answer;
    if (exceptionDetails) throw new Error(exceptionDetails.text);
    if (result?.value?.error !== undefined) throw new Error(result.value.error);
    return result?.value?.value as R;
  }

  receive(message: string): void {
    const { id, result, error } = JSON.parse(message) as { id?: number; result?: Evaluated; error?: { message: string } };
    const waiting = id === undefined ? undefined : this.pending.get(id);
    if (!waiting) return;
    this.pending.delete(id!);
    if (error) waiting.reject(new Error(error.message));
    else waiting.resolve(result ?? {});
  }

  close(): void {
    this.closed = true;
    for (const { reject } of this.pending.values()) reject(new Error('the SharedWorker is gone'));
    this.pending.clear();
  }
}
