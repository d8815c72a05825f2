// Extension build: waits for the bridge content script to hand over a private
// MessagePort inside a synchronous HELLO_EVENT, and serves the panel through it.
// The shim's listener is the first on the window (it runs at document_start,
// before any page script) and stops the event, so page listeners never see it.
import { addEventListener, messageEventData, messageEventPorts, portPostMessage, portStart, safely, stopImmediatePropagation, withoutPrototype } from '../realm/natives';
import { dispatch, envelope, WIRE_VERSION, type Handlers, type ShimCommand, type ShimCommands, type ShimEvent, type ShimEvents, type SocketCommands } from '../wire/messages';
import { HELLO_EVENT } from '../wire/names';
import type { Recorder } from './recorder';

/** What the shim tells the panel besides its batches (no-ops until a panel listens). */
export interface Tell {
  /** A user's operation this shim refused. */
  refused(fields: ShimEvents['refused']): void;
  /** The messages held at breakpoints. */
  held(fields: ShimEvents['held']): void;
}

/**
 * Serves the panel over the bridge's port: `listening` hears when a panel
 * starts or stops listening, `commands` handles what the panel asks of this
 * document's sockets (the bridge checked each command's fields); both may
 * answer through `tell`.
 */
export function listenForBridge(
  global: typeof globalThis,
  recorder: Recorder,
  listening: (on: boolean, tell: Tell) => void,
  commands: (tell: Tell) => Handlers<SocketCommands>,
): void {
  let port: MessagePort | null = null;
  let subscribed = false;
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

  function accept(event: Event): void {
    stopImmediatePropagation(event);
    // Only the first port is ours: a later one can only come from page code.
    if (port) return;
    const offered = messageEventPorts(event)[0];
    if (!offered) return;
    port = offered;
    addEventListener(port, 'message', (message) => safely(onCommand, messageEventData(message) as ShimCommand));
    portStart(port);
    post(envelope<ShimEvents, 'hello'>('hello', { instance: recorder.instance, frameUrl: global.location.href }));
  }

  addEventListener(global, HELLO_EVENT, (event) => safely(accept, event), true);
}
