// Extension build: waits for the bridge content script to hand over a private
// MessagePort inside a synchronous HELLO_EVENT, and serves the panel through it.
// The shim's listener is the first on the window (it runs at document_start,
// before any page script) and stops the event, so page listeners never see it.
import { addEventListener, isArray, messageEventData, messageEventPorts, portPostMessage, portStart, safely, stopImmediatePropagation } from '../realm/natives';
import { HELLO_EVENT, PROTOCOL_VERSION, type BridgeCommand, type ConsumerAction, type PanelRule, type ShimMessage } from '../wire/protocol';
import type { Recorder } from './recorder';

export interface PanelHandlers {
  /** A panel started or stopped listening. */
  listening(on: boolean): void;
  /** The panel's rules for this tab, all of them, each still to be read (some may be for other documents). */
  shape(rules: PanelRule[]): void;
  /** The panel drives the page as the consumer of one of this document's sockets. */
  consumer(socketId: number, action: ConsumerAction): void;
}

export function listenForBridge(global: typeof globalThis, recorder: Recorder, handlers: PanelHandlers): void {
  let port: MessagePort | null = null;
  const post = (message: ShimMessage) => portPostMessage(port!, message);

  function onCommand(command: BridgeCommand): void {
    if (command?.v !== PROTOCOL_VERSION) return;
    if (command.type === 'subscribe' && Number.isSafeInteger(command.since)) {
      recorder.subscribe(command.since, post);
      handlers.listening(true);
    } else if (command.type === 'unsubscribe') {
      recorder.unsubscribe();
      handlers.listening(false);
    } else if (command.type === 'shape' && isArray(command.rules)) handlers.shape(command.rules);
    else if (command.type === 'consumer' && command.instance === recorder.instance) handlers.consumer(command.socketId, command.action);
  }

  function accept(event: Event): void {
    stopImmediatePropagation(event);
    // Only the first port is ours: a later one can only come from page code.
    if (port) return;
    const offered = messageEventPorts(event)[0];
    if (!offered) return;
    port = offered;
    addEventListener(port, 'message', (message) => safely(onCommand, messageEventData(message) as BridgeCommand));
    portStart(port);
    post({ v: PROTOCOL_VERSION, type: 'hello', instance: recorder.instance, frameUrl: global.location.href });
  }

  addEventListener(global, HELLO_EVENT, (event) => safely(accept, event), true);
}
