// Background: a router, and the keeper of settings. MV3 may stop this
// worker at any moment, so it keeps no state that matters: ports reconnect,
// the shim keeps the history, the panel keeps the log, and settings live in
// extension storage.
import browser, { type Runtime } from 'webextension-polyfill';
import { envelope, type ContentCommands, type Handshake, type PanelEvents, type ShimEvent } from '../../shim/wire/messages';
import { isSocketCommand, readBackgroundRequest, readPanelCommand } from '../../shim/wire/readers';
import { CAPTURE_WORKERS, PORT_CONTENT, PORT_PANEL } from '../../shim/wire/names';
import { listenForHandshakes, tabHandshakes } from './handshakes';
import { originOf } from './origin-of';
import { originOption, storedOrigins } from './origin-options';
import { startWorkerCapture } from './worker-capture';
import { joinTab, knownTab, post, releaseTab, tabMembers, tabsShowing } from './tab-members';
import { setTabRules, shapeCommand, tabRules } from './tab-rules';

function attachContent(port: Runtime.Port): void {
  const tabId = port.sender?.tab?.id;
  if (tabId === undefined) return port.disconnect();
  const frameId = port.sender?.frameId ?? 0;
  const membership = joinTab(tabId, frameId, { post: (command) => post(port, command) });
  if (frameId === 0) tabMembers(tabId).origin = originOf(port.sender?.url);
  // The bridge read it with readShimEvent: it is a ShimEvent.
  const onMessage = (message: unknown) => membership.say(message as ShimEvent);
  port.onMessage.addListener(onMessage);
  port.onDisconnect.addListener(() => {
    port.onMessage.removeListener(onMessage);
    membership.leave();
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
      tabMembers(tabId).panels.add(port);
      // A panel opened again shows the shaping still in force, and the handshakes seen so far.
      void tabRules(tabId).then((rules) => post(port, shapeCommand(rules)));
      for (const handshake of tabHandshakes(tabId)) post(port, handshakeEvent(handshake));
      return;
    }
    if (tabId === null) return;
    if (command.type === 'shape') void setTabRules(tabId, command.rules);
    // Commands for the shims, and the panel's seq marks, go to every document of the tab as they are.
    if (isSocketCommand(command) || command.type === 'subscribe') for (const realm of tabMembers(tabId).realms) realm.post(command);
  };
  port.onMessage.addListener(onMessage);
  port.onDisconnect.addListener(() => {
    port.onMessage.removeListener(onMessage);
    if (tabId === null) return;
    const members = tabMembers(tabId);
    members.panels.delete(port);
    // With no panel left, the shims go back to recording only.
    if (members.panels.size === 0) {
      for (const realm of members.realms) realm.post(envelope<ContentCommands, 'unsubscribe'>('unsubscribe', {}));
    }
    releaseTab(tabId);
  });
}

const handshakeEvent = (handshake: Handshake) => envelope<PanelEvents, 'handshake'>('handshake', { handshake });

startWorkerCapture(storedOrigins(CAPTURE_WORKERS));

listenForHandshakes((tabId, handshake) => {
  for (const panel of knownTab(tabId)?.panels ?? []) post(panel, handshakeEvent(handshake));
}, tabsShowing);

browser.runtime.onMessage.addListener((data: unknown) => {
  const message = readBackgroundRequest(data);
  if (!message) return undefined;
  const origin = knownTab(message.tabId)?.origin ?? null;
  return originOption(message.option, origin, message.enabled);
});

browser.runtime.onConnect.addListener((port) => {
  if (port.name === PORT_CONTENT) attachContent(port);
  else if (port.name === PORT_PANEL) attachPanel(port);
});
