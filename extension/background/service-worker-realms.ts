// Chromium: a service worker's sockets reach the panel of every tab it
// serves, through that tab's debugger session to the worker (see
// worker-debugger.ts, which calls this). Per session:
//   before the engine runs   Runtime.addBinding: the engine takes the binding
//                            as its way out (shim/capture/debugger-channel.ts)
//   once the worker runs     Runtime.evaluate reads the engine's hook (none:
//                            the worker started before capture, and stays
//                            unseen); calling it opens this session's channel
//                            (a session to a worker already running adds its
//                            binding just before: the call removes it again)
// The worker's shim then talks as a document's does over its bridge: its
// hello, its batches, every session hearing every call (each keeps its own
// client's), and the panel's commands go in through the hook. The same
// socket shows in each client tab's panel, with one id and one history.
import { RealmLink } from '../realm-link';
import type { BindingMessage, ShimCommand } from '../../shim/wire/messages';
import { ENGINE_MARK_KEY, SERVICE_WORKER_BINDING } from '../../shim/wire/names';
import { joinTab, type Membership } from './tab-members';

export interface Session {
  tabId: number;
  sessionId: string;
}

type Send = (target: Session, method: string, params?: object) => Promise<unknown>;

interface ServiceRealm {
  link: RealmLink;
  membership: Membership | null;
}

/** By client name: one per debugging session of a service worker. */
const realms = new Map<string, ServiceRealm>();

const clientOf = ({ tabId, sessionId }: Session): string => `${tabId}/${sessionId}`;
/** An expression, not data: the page's payloads never reach it. */
const HOOK = `Function.prototype.toString[Symbol.for(${JSON.stringify(ENGINE_MARK_KEY)})]`;
const CALL_HOOK = 'function (client, command) { this(client, command); }';

/** Before the engine runs in a new service worker: the binding it takes. */
export const addBinding = (send: Send, target: Session): Promise<unknown> => send(target, 'Runtime.addBinding', { name: SERVICE_WORKER_BINDING });

/**
 * Once the worker runs: opens this session's channel to its engine, if it
 * has one. A worker that was running already when this session attached (a
 * second tab it serves) gets its binding only now, and only with an engine
 * to take it back off its global.
 */
export async function connectServiceWorker(send: Send, target: Session, bound: boolean): Promise<void> {
  const { result } = (await send(target, 'Runtime.evaluate', { expression: HOOK, silent: true })) as { result: { type: string; objectId?: string } };
  if (result.type !== 'function' || result.objectId === undefined) return;
  const { objectId } = result;
  if (!bound) await addBinding(send, target);
  const client = clientOf(target);
  const call = (command?: ShimCommand) =>
    send(target, 'Runtime.callFunctionOn', {
      objectId,
      functionDeclaration: CALL_HOOK,
      arguments: command === undefined ? [{ value: client }] : [{ value: client }, { value: command }],
      silent: true,
    }).catch((error: unknown) => console.debug('[sockscope] a service worker went away', error));
  realms.set(client, { link: new RealmLink((command) => void call(command)), membership: null });
  await call();
}

/** A binding call some session heard: this session's client's message goes to its tab's panels. */
export function onBindingCalled(target: Session, { name, payload }: { name: string; payload: string }): void {
  if (name !== SERVICE_WORKER_BINDING) return;
  const client = clientOf(target);
  const realm = realms.get(client);
  if (!realm) return;
  let said: Partial<BindingMessage>;
  try {
    said = JSON.parse(payload) as Partial<BindingMessage>;
  } catch {
    return;
  }
  if (said.client !== client) return;
  const message = realm.link.fromShim(said.message);
  if (!message) return;
  // A service worker belongs to no frame: its sockets show as the tab's.
  if (message.type === 'hello') realm.membership = joinTab(target.tabId, 0, { post: (command) => realm.link.command(command) });
  realm.membership?.say(message);
}

/** The session ended (the worker stopped, or the tab is no longer debugged). */
export function serviceWorkerGone(target: Session): void {
  const client = clientOf(target);
  realms.get(client)?.membership?.leave();
  realms.delete(client);
}

/** The tab is no longer debugged: every session through it ended. */
export function tabServiceWorkersGone(tabId: number): void {
  for (const [client, realm] of realms) {
    if (!client.startsWith(`${tabId}/`)) continue;
    realm.membership?.leave();
    realms.delete(client);
  }
}
