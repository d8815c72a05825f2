// Background: a router, and the keeper of settings. MV3 may stop this
// worker at any moment, so it keeps no state that matters: ports reconnect,
// the shim keeps the history, the panel keeps the log, and settings live in
// extension storage.
import browser, { type Runtime } from 'webextension-polyfill';
import { envelope, type ContentCommand, type ContentCommands, type Handshake, type PanelEvent, type PanelEvents, type ShimEvent } from '../../shim/wire/messages';
import { isSocketCommand, readBackgroundRequest, readPanelCommand } from '../../shim/wire/readers';
import { CAPTURE_WORKERS, PORT_CONTENT, PORT_PANEL } from '../../shim/wire/names';
import { listenForHandshakes, tabHandshakes } from './handshakes';
import { originOf } from './origin-of';
import { originOption, storedOrigins } from './origin-options';
import { startWorkerCapture } from './worker-capture';
import { setTabRules, shapeCommand, tabRules } from './tab-rules';

interface TabPorts {
  panels: Set<Runtime.Port>;
  contents: Set<Runtime.Port>;
  /** Origin of the top document, from its bridge's port; null until one connects. */
  origin: string | null;
}

const tabs = new Map<number, TabPorts>();

function tabPorts(tabId: number): TabPorts {
  let ports = tabs.get(tabId);
  if (!ports) tabs.set(tabId, (ports = { panels: new Set(), contents: new Set(), origin: null }));
  return ports;
}

function release(tabId: number): void {
  const ports = tabs.get(tabId);
  if (ports && ports.panels.size === 0 && ports.contents.size === 0) tabs.delete(tabId);
}

/** Posting to a port whose other end just went away throws; its onDisconnect cleans up. */
function post(port: Runtime.Port, message: PanelEvent | ContentCommand): void {
  try {
    port.postMessage(message);
  } catch (error) {
    console.debug('[sockscope] dropped a message to a closed port', error);
  }
}

function attachContent(port: Runtime.Port): void {
  const tabId = port.sender?.tab?.id;
  if (tabId === undefined) return port.disconnect();
  const frameId = port.sender?.frameId ?? 0;
  const ports = tabPorts(tabId);
  ports.contents.add(port);
  if (frameId === 0) ports.origin = originOf(port.sender?.url);
  // A new document (a reload, a frame): the tab's shaping applies to it too. Sent even when there
  // is none: the shim holds sockets opened at load until it knows.
  void tabRules(tabId).then((rules) => post(port, shapeCommand(rules)));
  // The bridge read it with readShimEvent: it is a ShimEvent.
  const onMessage = (message: unknown) => {
    for (const panel of ports.panels) post(panel, { ...(message as ShimEvent), frameId });
  };
  port.onMessage.addListener(onMessage);
  port.onDisconnect.addListener(() => {
    port.onMessage.removeListener(onMessage);
    ports.contents.delete(port);
    release(tabId);
  });
}

function attachPanel(port: Runtime.Port): void {
  let tabId: number | null = null;
  const onMessage = (data: unknown) => {
    const command = readPanelCommand(data);
    if (!command) return;
    if (command.type === 'attach') {
      if (tabId !== null) return;
      tabId = command.tabId;
      tabPorts(tabId).panels.add(port);
      // A panel opened again shows the shaping still in force, and the handshakes seen so far.
      void tabRules(tabId).then((rules) => post(port, shapeCommand(rules)));
      for (const handshake of tabHandshakes(tabId)) post(port, handshakeEvent(handshake));
      return;
    }
    if (tabId === null) return;
    if (command.type === 'shape') void setTabRules(tabId, command.rules);
    // Commands for the shims, and the panel's seq marks, go to every document of the tab as they are.
    if (isSocketCommand(command) || command.type === 'subscribe') for (const content of tabPorts(tabId).contents) post(content, command);
  };
  port.onMessage.addListener(onMessage);
  port.onDisconnect.addListener(() => {
    port.onMessage.removeListener(onMessage);
    if (tabId === null) return;
    const ports = tabPorts(tabId);
    ports.panels.delete(port);
    // With no panel left, the shims go back to recording only.
    if (ports.panels.size === 0) {
      for (const content of ports.contents) post(content, envelope<ContentCommands, 'unsubscribe'>('unsubscribe', {}));
    }
    release(tabId);
  });
}

const handshakeEvent = (handshake: Handshake) => envelope<PanelEvents, 'handshake'>('handshake', { handshake });

startWorkerCapture(storedOrigins(CAPTURE_WORKERS));

listenForHandshakes((tabId, handshake) => {
  for (const panel of tabs.get(tabId)?.panels ?? []) post(panel, handshakeEvent(handshake));
});

browser.runtime.onMessage.addListener((data: unknown) => {
  const message = readBackgroundRequest(data);
  if (!message) return undefined;
  const origin = tabs.get(message.tabId)?.origin ?? null;
  return originOption(message.option, origin, message.enabled);
});

browser.runtime.onConnect.addListener((port) => {
  if (port.name === PORT_CONTENT) attachContent(port);
  else if (port.name === PORT_PANEL) attachPanel(port);
});
