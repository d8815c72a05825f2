// Extension build: waits for the bridge content script to hand over a private
// MessagePort inside a synchronous HELLO_EVENT, and serves the panel through it.
// The shim's listener is the first on the window (it runs at document_start,
// before any page script) and stops the event, so page listeners never see it.
import { addEventListener, messageEventData, messageEventPorts, portPostMessage, portStart, safely, stopImmediatePropagation, withoutPrototype } from '../realm/natives';
import { dispatch, envelope, WIRE_VERSION, type Handlers, type ShimCommand, type ShimCommands, type ShimEvent, type ShimEvents, type SocketCommands } from '../wire/messages';
import { HELLO_EVENT } from '../wire/names';
import type { Recorder } from './recorder';

/** Tells the panel of a user's operation this shim refused. */
export type Refuse = (fields: ShimEvents['refused']) => void;

/**
 * Serves the panel over the bridge's port: `listening` hears when a panel
 * starts or stops listening, `commands` handles what the panel asks of this
 * document's sockets (the bridge checked each command's fields) and may
 * answer a refusal with `refuse`.
 */
export function listenForBridge(
  global: typeof globalThis,
  recorder: Recorder,
  listening: (on: boolean) => void,
  commands: (refuse: Refuse) => Handlers<SocketCommands>,
): void {
  let port: MessagePort | null = null;
  const post = (message: ShimEvent) => portPostMessage(port!, message);
  // No prototype: a command's type names an own handler or none.
  const handlers: Handlers<ShimCommands> = withoutPrototype({
    // Commands come only through the port: it is there to answer on.
    ...commands((fields) => post(envelope<ShimEvents, 'refused'>('refused', fields))),
    subscribe({ since }) {
      if (!Number.isSafeInteger(since)) return;
      recorder.subscribe(since, post);
      listening(true);
    },
    unsubscribe() {
      recorder.unsubscribe();
      listening(false);
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
