// The panel's shaping rules per tab. They outlive the panel (closed and
// opened again) and the worker (MV3 stops it at will): kept in session
// storage, gone when the browser closes or the tab does.
import browser from 'webextension-polyfill';
import { isShape, PROTOCOL_VERSION, type PanelNotice, type PanelRule } from '../../shim/protocol';

const key = (tabId: number): string => `rules:${tabId}`;

export async function tabRules(tabId: number): Promise<PanelRule[]> {
  const stored = (await browser.storage.session.get(key(tabId)))[key(tabId)];
  const command = shapeCommand(Array.isArray(stored) ? stored : []);
  // Written by an older version, perhaps: what does not read as rules now is none.
  return isShape(command) ? command.rules : [];
}

export async function setTabRules(tabId: number, rules: PanelRule[]): Promise<void> {
  if (rules.length === 0) await browser.storage.session.remove(key(tabId));
  else await browser.storage.session.set({ [key(tabId)]: rules });
}

export const shapeCommand = (rules: PanelRule[]): PanelNotice => ({ v: PROTOCOL_VERSION, type: 'shape', rules });

browser.tabs.onRemoved.addListener((tabId) => void browser.storage.session.remove(key(tabId)));
