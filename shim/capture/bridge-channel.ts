// How a realm's shim reaches the extension: over one private MessagePort to
// the bridge content script. A window's shim is handed its port by the bridge
// (portFromBridge); a worker's shim makes its own and posts one end to whoever
// created the worker (see worker-realms.ts), whose shim hands it on, so a
// worker's port also ends at its document's bridge.
import {
  addEventListener,
  messageEventData,
  messageEventPorts,
  portPostMessage,
  portStart,
  safely,
  stopImmediatePropagation,
  withoutPrototype,
} from '../realm/natives';
import { dispatch, envelope, WIRE_VERSION, type Handlers, type ShimCommand, type ShimCommands, type ShimEvent, type ShimEvents, type SocketCommands } from '../wire/messages';
import { HELLO_EVENT, REALM_PORT } from '../wire/names';
import { workerKind } from '../realm/worker-kind';
import type { Recorder } from './recorder';

/** What the shim tells the panel besides its batches (no-ops until a panel listens). */
export interface Tell {
  /** A user's operation this shim refused. */
  refused(fields: ShimEvents['refused']): void;
  /** The messages held at breakpoints. */
  held(fields: ShimEvents['held']): void;
}

/** How a realm gets its port to the bridge: `take` is called once, with the port, when it is there. */
export type PortSource = (take: (port: MessagePort) => void) => void;

/**
 * A window's port: the bridge content script offers one inside a synchronous
 * HELLO_EVENT. The shim's listener is the first on the window (it runs at
 * document_start, before any page script) and stops the event, so page
 * listeners never see it; only the first port is ours.
 */
export const portFromBridge =
  (global: typeof globalThis): PortSource =>
  (take) => {
    let taken = false;
    const accept = (event: Event) => {
      stopImmediatePropagation(event);
      const offered = messageEventPorts(event)[0];
      if (taken || !offered) return;
      taken = true;
      take(offered);
    };
    addEventListener(global, HELLO_EVENT, (event) => safely(accept, event), true);
  };

/** A new realm's port, handed on toward the bridge (now, or once this realm's own port is there). */
export type AdoptRealm = (port: MessagePort) => void;

/** Child realms' ports kept while this realm waits for its own: a page that starts more workers than this first loses the rest. */
const WAITING_REALMS = 64;

/**
 * Serves the panel over the port `source` gives: `listening` hears when a
 * panel starts or stops listening, `commands` handles what the panel asks of
 * this realm's sockets (the bridge checked each command's fields); both may
 * answer through `tell`. Returns how a child realm's port reaches the bridge.
 */
export function serveBridge(
  global: typeof globalThis,
  recorder: Recorder,
  source: PortSource,
  listening: (on: boolean, tell: Tell) => void,
  commands: (tell: Tell) => Handlers<SocketCommands>,
): AdoptRealm {
  let port: MessagePort | null = null;
  let subscribed = false;
  const waiting: MessagePort[] = [];
  const post = (message: ShimEvent) => portPostMessage(port!, message);
  const tell: Tell = {
    // A refusal answers a command, which comes only through the port.
    refused: (fields) => post(envelope<ShimEvents, 'refused'>('refused', fields)),
    held: (fields) => subscribed && post(envelope<ShimEvents, 'held'>('held', fields)),
  };
  // No prototype: a command's type names an own handler or none.
  const handlers: Handlers<ShimCommands> = withoutPrototype({
    ...commands(tell),
    subscribe({ since }) {
      if (!Number.isSafeInteger(since)) return;
      recorder.subscribe(since, post);
      subscribed = true;
      listening(true, tell);
    },
    unsubscribe() {
      recorder.unsubscribe();
      subscribed = false;
      listening(false, tell);
    },
  });

  function onCommand(command: ShimCommand): void {
    if (command?.v === WIRE_VERSION && handlers[command.type] !== undefined) dispatch(handlers, command);
  }

  const handOn = (realm: MessagePort) => portPostMessage(port!, REALM_PORT, [realm]);

  source((offered) => {
    port = offered;
    addEventListener(port, 'message', (message) => safely(onCommand, messageEventData(message) as ShimCommand));
    portStart(port);
    post(envelope<ShimEvents, 'hello'>('hello', { instance: recorder.instance, frameUrl: global.location.href, worker: workerKind(global) }));
    for (let i = 0; i < waiting.length; i++) safely(handOn, waiting[i]);
    waiting.length = 0;
  });

  return (realm) => {
    if (port) safely(handOn, realm);
    else if (waiting.length < WAITING_REALMS) waiting[waiting.length] = realm;
  };
}
