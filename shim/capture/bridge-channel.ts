// How a realm's shim reaches the extension: over one private MessagePort to
// the bridge content script. A window's shim is handed its port by the bridge
// (portFromBridge); a worker's shim makes its own and posts one end to whoever
// created the worker (see worker-realms.ts), whose shim hands it on, so a
// worker's port also ends at its document's bridge.
import {
  addEventListener,
  dispatchEvent,
  messageEventData,
  messageEventPorts,
  portPostMessage,
  NativeCustomEvent,
  portStart,
  safely,
  stopImmediatePropagation,
  withoutPrototype,
} from '../realm/natives';
import { toJson } from '../realm/json';
import { dispatch, envelope, WIRE_VERSION, type Handlers, type ShimCommand, type ShimCommands, type ShimEvent, type ShimEvents, type SocketCommands } from '../wire/messages';
import { HELLO_EVENT, REALM_PORT } from '../wire/names';
import { workerKind } from '../realm/worker-kind';
import { randomName, type Recorder } from './recorder';

/** What the shim tells the panel besides its batches (no-ops until a panel listens). */
export interface Tell {
  /** A user's operation this shim refused. */
  refused(fields: ShimEvents['refused']): void;
  /** The messages held at breakpoints. */
  held(fields: ShimEvents['held']): void;
  /** The workers this realm started. */
  workers(fields: ShimEvents['workers']): void;
}

/**
 * How a realm gets its ports to the bridge: `take` is called with each port
 * when it is there: once for a document or a dedicated worker, once per
 * client for a SharedWorker (each client's document has a bridge of its own).
 */
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
/** Clients served at once: a SharedWorker's documents. */
const MAX_CLIENTS = 64;

/** One bridge this realm serves, and whether its panel listens. */
interface Client {
  port: MessagePort;
  subscribed: boolean;
}

/**
 * Serves the panel over the ports `source` gives: `listening` hears when a
 * first panel starts or the last stops listening; `commands` makes the
 * handlers of what one client's panel asks of this realm's sockets (the
 * bridge checked each command's fields), its rules named `rulesSource`;
 * both may answer through `tell`. Every listening panel hears everything: a
 * panel ignores messages it holds already. Returns how a child realm's port
 * reaches the bridge.
 */
export function serveBridge(
  global: typeof globalThis,
  recorder: Recorder,
  source: PortSource,
  listening: (on: boolean, tell: Tell) => void,
  commands: (tell: Tell, rulesSource: string) => Handlers<SocketCommands>,
): AdoptRealm {
  const clients: Client[] = [];
  const waiting: MessagePort[] = [];
  // A port's messages still queued when the document goes are never delivered: the last batches go
  // to the bridge as synchronous events of a type only it knows (a window realm's clients are its bridge's).
  const farewell = `sockscope-farewell-${randomName()}`;
  let leaving = false;
  const post = (message: ShimEvent) => {
    if (leaving) return void dispatchEvent(global, new NativeCustomEvent(farewell, { detail: toJson(message) }));
    for (let i = 0; i < clients.length; i++) if (clients[i].subscribed) portPostMessage(clients[i].port, message);
  };
  const tell: Tell = {
    refused: (fields) => post(envelope<ShimEvents, 'refused'>('refused', fields)),
    held: (fields) => post(envelope<ShimEvents, 'held'>('held', fields)),
    workers: (fields) => post(envelope<ShimEvents, 'workers'>('workers', fields)),
  };
  const anyListening = () => {
    for (let i = 0; i < clients.length; i++) if (clients[i].subscribed) return true;
    return false;
  };
  // A worker has no pagehide.
  addEventListener(
    global,
    'pagehide',
    () => {
      if (!anyListening()) return;
      leaving = true;
      safely((r: Recorder) => r.sendAll(), recorder);
      leaving = false;
    },
    true,
  );

  function serve(client: Client, rulesSource: string): void {
    // No prototype: a command's type names an own handler or none.
    const handlers: Handlers<ShimCommands> = withoutPrototype({
      ...commands(tell, rulesSource),
      subscribe({ since }) {
        if (!Number.isSafeInteger(since)) return;
        client.subscribed = true;
        // From this client's mark: the others hear again what they hold, and ignore it.
        recorder.subscribe(since, post);
        listening(true, tell);
      },
      unsubscribe() {
        client.subscribed = false;
        if (anyListening()) return;
        recorder.unsubscribe();
        listening(false, tell);
      },
    });
    const onCommand = (command: ShimCommand) => {
      if (command?.v === WIRE_VERSION && handlers[command.type] !== undefined) dispatch(handlers, command);
    };
    addEventListener(client.port, 'message', (message) => safely(onCommand, messageEventData(message) as ShimCommand));
    portStart(client.port);
    // Nothing here reads the realm's location: Chromium's debugger runs a worker's engine before the
    // worker has one, and reading it then (even a task later) crashes the worker's process.
    portPostMessage(client.port, envelope<ShimEvents, 'hello'>('hello', { instance: recorder.instance, worker: workerKind(global), farewell }));
  }

  /** A child realm's port goes to the first bridge: the child is this realm's, wherever its clients are. */
  const handOn = (realm: MessagePort) => portPostMessage(clients[0].port, REALM_PORT, [realm]);

  source((port) => {
    if (clients.length >= MAX_CLIENTS) return;
    const client: Client = { port, subscribed: false };
    clients[clients.length] = client;
    // The first client's rules are the realm's 'panel' rules, which a document's shim may await at load.
    serve(client, clients.length === 1 ? 'panel' : `panel-${clients.length}`);
    for (let i = 0; i < waiting.length; i++) safely(handOn, waiting[i]);
    waiting.length = 0;
  });

  return (realm) => {
    if (clients.length > 0) safely(handOn, realm);
    else if (waiting.length < WAITING_REALMS) waiting[waiting.length] = realm;
  };
}
