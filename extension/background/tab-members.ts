// Who is in each tab: the panels inspecting it, and the realms whose shims
// report to them (each document's bridge, and in Chromium the service
// workers the tab's debugger session reaches).
import type { Runtime } from 'webextension-polyfill';
import type { ContentCommand, PanelEvent, ShimEvent } from '../../shim/wire/messages';
import { shapeCommand, tabRules } from './tab-rules';

/** A realm of the tab: how a command reaches its shim. */
export interface TabRealm {
  post(command: ContentCommand): void;
}

interface TabMembers {
  panels: Set<Runtime.Port>;
  realms: Set<TabRealm>;
  /** Origin of the top document, from its bridge's port; null until one connects. */
  origin: string | null;
}

const tabs = new Map<number, TabMembers>();

export function tabMembers(tabId: number): TabMembers {
  let members = tabs.get(tabId);
  if (!members) tabs.set(tabId, (members = { panels: new Set(), realms: new Set(), origin: null }));
  return members;
}

/** The tab's members, without making an entry for a tab nobody is in. */
export const knownTab = (tabId: number): TabMembers | undefined => tabs.get(tabId);

/** The tabs whose top document is of `origin`. */
export function tabsShowing(origin: string): number[] {
  const found: number[] = [];
  for (const [tabId, members] of tabs) if (members.origin === origin) found.push(tabId);
  return found;
}

export function releaseTab(tabId: number): void {
  const members = tabs.get(tabId);
  if (members && members.panels.size === 0 && members.realms.size === 0) tabs.delete(tabId);
}

/** Posting to a port whose other end just went away throws; its onDisconnect cleans up. */
export function post(port: Runtime.Port, message: PanelEvent | ContentCommand): void {
  try {
    port.postMessage(message);
  } catch (error) {
    console.debug('[sockscope] dropped a message to a closed port', error);
  }
}

/** A realm in the tab, as its panels see it: what it says, and its leaving. */
export interface Membership {
  /** An event its shim said (checked already), to every panel of the tab, as from frame `frameId`. */
  say(message: ShimEvent): void;
  leave(): void;
}

/** A realm joins its tab: the tab's shaping applies to it too (sent even when there is none: a shim holds sockets opened at load until it knows). */
export function joinTab(tabId: number, frameId: number, realm: TabRealm): Membership {
  const members = tabMembers(tabId);
  members.realms.add(realm);
  void tabRules(tabId).then((rules) => realm.post(shapeCommand(rules)));
  return {
    say: (message) => {
      for (const panel of members.panels) post(panel, { ...message, frameId });
    },
    leave: () => {
      members.realms.delete(realm);
      releaseTab(tabId);
    },
  };
}
