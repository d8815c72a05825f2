// Background: a router and nothing more. MV3 may stop this worker at any
// moment, so it keeps no state that matters: ports reconnect, the shim keeps
// the history and the panel keeps the log.
import browser, { type Runtime } from 'webextension-polyfill';
import { isPanelCommand, PORT_CONTENT, PORT_PANEL, PROTOCOL_VERSION, type ContentCommand, type ShimMessage, type SourceMessage } from '../../shim/protocol';

interface TabPorts {
  panels: Set<Runtime.Port>;
  contents: Set<Runtime.Port>;
}

const tabs = new Map<number, TabPorts>();

function tabPorts(tabId: number): TabPorts {
  let ports = tabs.get(tabId);
  if (!ports) tabs.set(tabId, (ports = { panels: new Set(), contents: new Set() }));
  return ports;
}

function release(tabId: number): void {
  const ports = tabs.get(tabId);
  if (ports && ports.panels.size === 0 && ports.contents.size === 0) tabs.delete(tabId);
}

/** Posting to a port whose other end just went away throws; its onDisconnect cleans up. */
function post(port: Runtime.Port, message: SourceMessage | ContentCommand): void {
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
  // The bridge validated it: it is a ShimMessage.
  const onMessage = (message: unknown) => {
    for (const panel of ports.panels) post(panel, { ...(message as ShimMessage), frameId });
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
  const onMessage = (command: unknown) => {
    if (!isPanelCommand(command)) return;
    if (command.type === 'attach') {
      if (tabId !== null) return;
      tabId = command.tabId;
      tabPorts(tabId).panels.add(port);
      return;
    }
    if (tabId === null) return;
    for (const content of tabPorts(tabId).contents) post(content, command);
  };
  port.onMessage.addListener(onMessage);
  port.onDisconnect.addListener(() => {
    port.onMessage.removeListener(onMessage);
    if (tabId === null) return;
    const ports = tabPorts(tabId);
    ports.panels.delete(port);
    // With no panel left, the shims go back to recording only.
    if (ports.panels.size === 0) {
      for (const content of ports.contents) post(content, { v: PROTOCOL_VERSION, type: 'unsubscribe' });
    }
    release(tabId);
  });
}

browser.runtime.onConnect.addListener((port) => {
  if (port.name === PORT_CONTENT) attachContent(port);
  else if (port.name === PORT_PANEL) attachPanel(port);
});
