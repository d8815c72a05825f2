// A page's SharedWorkers and service workers as realms the helper can call,
// over its own CDP session on the page (not flattened: a worker's messages go
// through Target.sendMessageToTarget); it evaluates in each.
//
// SharedWorkers: Playwright lists none (page.workers() has the dedicated ones
// only). The helper answered their scripts with the shim first (see
// worker-scripts.ts); it attaches to the SharedWorker targets whose script it
// answered for the page when a call needs them. Another page of the same
// origin that uses one sees the same sockets.
//
// Service workers: the helper cannot answer their scripts. A script the route
// answers has no server address, so Chromium's Local Network Access checks
// refuse the worker's WebSockets to loopback and private addresses, and for a
// service worker granting `local-network-access` does not give that back. So
// the shim goes in as the extension puts it in Chromium's workers: the session
// auto-attaches to the page's service workers, each new one held before its
// first script; the shim is evaluated in it, then it runs. One already running
// is left as it is (the shim would come after its code), unless a helper put
// the shim in it when it started.
import type { FrameLike } from './page-frames';

interface TargetInfo {
  targetId: string;
  type: string;
  url: string;
  browserContextId?: string;
}

/** Target.attachedToTarget, as far as the helper reads it. */
interface AttachedToTarget {
  sessionId: string;
  targetInfo: TargetInfo;
  waitingForDebugger: boolean;
}

/** The CDP calls and events the helper uses, as Playwright's `CDPSession` has them. */
export interface TargetSessionLike {
  send(method: 'Target.getTargetInfo'): Promise<{ targetInfo: TargetInfo }>;
  send(method: 'Target.getTargets'): Promise<{ targetInfos: TargetInfo[] }>;
  send(method: 'Target.attachToTarget', params: { targetId: string; flatten: boolean }): Promise<{ sessionId: string }>;
  send(
    method: 'Target.setAutoAttach',
    params: { autoAttach: boolean; waitForDebuggerOnStart: boolean; flatten: boolean; filter: { type: string }[] },
  ): Promise<unknown>;
  send(method: 'Target.sendMessageToTarget', params: { sessionId: string; message: string }): Promise<unknown>;
  on(event: 'Target.attachedToTarget', listener: (event: AttachedToTarget) => void): unknown;
  on(event: 'Target.receivedMessageFromTarget', listener: (event: { sessionId: string; message: string }) => void): unknown;
  on(event: 'Target.detachedFromTarget', listener: (event: { sessionId: string }) => void): unknown;
}

/** Runtime.evaluate's answer, as far as the helper reads it. */
interface Evaluated {
  result?: { value?: { value?: unknown; error?: string } };
  exceptionDetails?: { text: string };
}

/** Whether Sockscope's engine is in this realm: the mark shim/realm/mask.ts leaves (see worker-scripts.ts). */
const hasEngine = () => (Function.prototype.toString as unknown as Record<symbol, unknown>)[Symbol.for('sockscope.engine')] !== undefined;

export class WorkerTargets {
  /** The attached SharedWorkers, by target id. */
  private readonly shared = new Map<string, Promise<TargetRealm>>();
  /** The page's service workers that have Sockscope, in the order they attached. */
  private readonly services = new Set<TargetRealm>();
  private readonly bySession = new Map<string, TargetRealm>();
  private readonly context: Promise<string | undefined>;

  /**
   * `ours(url)`: whether the helper answered that SharedWorker script for this page. `shim`: what
   * runs in each new service worker of the page before its first script.
   */
  constructor(
    private readonly cdp: TargetSessionLike,
    private readonly ours: (url: string) => boolean,
    private readonly shim: string,
  ) {
    this.context = cdp.send('Target.getTargetInfo').then(({ targetInfo }) => targetInfo.browserContextId);
    cdp.on('Target.attachedToTarget', (event) => this.serviceWorker(event));
    cdp.on('Target.receivedMessageFromTarget', ({ sessionId, message }) => this.bySession.get(sessionId)?.receive(message));
    cdp.on('Target.detachedFromTarget', ({ sessionId }) => this.gone(sessionId));
  }

  /** From now on, holds each service worker the page starts until the shim ran in it. */
  holdServiceWorkers(): Promise<unknown> {
    return this.cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: false, filter: [{ type: 'service_worker' }] });
  }

  /** The page's SharedWorkers now, in the order the browser lists them, then its service workers. */
  async all(): Promise<FrameLike[]> {
    const [{ targetInfos }, context] = await Promise.all([this.cdp.send('Target.getTargets'), this.context]);
    const targets = targetInfos.filter((target) => target.type === 'shared_worker' && target.browserContextId === context && this.ours(target.url));
    const attached = await Promise.all(targets.map((target) => this.attachShared(target.targetId).catch(() => null)));
    return [...attached.filter((realm) => realm !== null), ...this.services];
  }

  private attachShared(targetId: string): Promise<TargetRealm> {
    let realm = this.shared.get(targetId);
    if (!realm) {
      realm = this.cdp.send('Target.attachToTarget', { targetId, flatten: false }).then(({ sessionId }) => this.realm(sessionId));
      // A failed attach is tried again next time.
      realm.catch(() => this.shared.delete(targetId));
      this.shared.set(targetId, realm);
    }
    return realm;
  }

  private serviceWorker({ sessionId, targetInfo, waitingForDebugger }: AttachedToTarget): void {
    if (targetInfo.type !== 'service_worker') return;
    const realm = this.realm(sessionId);
    if (waitingForDebugger) {
      // Sent in order without waiting for answers: the worker answers nothing until it runs.
      for (const sent of [realm.send('Runtime.evaluate', { expression: this.shim }), realm.send('Runtime.runIfWaitingForDebugger', {})]) sent.catch(() => undefined);
      this.services.add(realm);
      return;
    }
    void realm.evaluate(hasEngine, null).then(
      (has) => has && !realm.closed && this.services.add(realm),
      () => undefined,
    );
  }

  private realm(sessionId: string): TargetRealm {
    const realm = new TargetRealm((message) => this.cdp.send('Target.sendMessageToTarget', { sessionId, message }));
    this.bySession.set(sessionId, realm);
    return realm;
  }

  private gone(sessionId: string): void {
    const realm = this.bySession.get(sessionId);
    if (!realm) return;
    this.bySession.delete(sessionId);
    this.services.delete(realm);
    realm.close();
    for (const [targetId, attached] of this.shared) void attached.then((found) => found === realm && this.shared.delete(targetId));
  }
}

/** One worker target: `evaluate` runs a function of the helper's there, as a Playwright `Worker` would. */
class TargetRealm implements FrameLike {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private gone = false;

  constructor(private readonly post: (message: string) => Promise<unknown>) {}

  get closed(): boolean {
    return this.gone;
  }

  async evaluate<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R> {
    // The function's own text, called with its argument as JSON; its error crosses as its message.
    const expression = `(async () => { try { return { value: await (${fn.toString()})(${JSON.stringify(arg)}) }; } catch (error) { return { error: String(error?.message ?? error) }; } })()`;
    const { result, exceptionDetails } = (await this.send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true })) as Evaluated;
    if (exceptionDetails) throw new Error(exceptionDetails.text);
    if (result?.value?.error !== undefined) throw new Error(result.value.error);
    return result?.value?.value as R;
  }

  /** A CDP command in the worker, answered with its result. */
  async send(method: string, params: object): Promise<unknown> {
    if (this.gone) throw new Error('the worker is gone');
    const id = this.nextId++;
    const answer = new Promise<unknown>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    try {
      await this.post(JSON.stringify({ id, method, params }));
    } catch (error) {
      // Not sent (the session went away): no answer will come.
      this.pending.delete(id);
      throw error;
    }
    return answer;
  }

  receive(message: string): void {
    const { id, result, error } = JSON.parse(message) as { id?: number; result?: unknown; error?: { message: string } };
    const waiting = id === undefined ? undefined : this.pending.get(id);
    if (!waiting) return;
    this.pending.delete(id!);
    if (error) waiting.reject(new Error(error.message));
    else waiting.resolve(result ?? {});
  }

  close(): void {
    this.gone = true;
    for (const { reject } of this.pending.values()) reject(new Error('the worker is gone'));
    this.pending.clear();
  }
}
