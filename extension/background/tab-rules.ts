// The panel's shaping rules per tab. They outlive the panel (closed and
// opened again) and the worker (MV3 stops it at will): kept in session
// storage, gone when the browser closes or the tab does.
import browser from 'webextension-polyfill';
import { PROTOCOL_VERSION, type PanelNotice } from '../../shim/protocol';

const key = (tabId: number): string => `rules:${tabId}`;

export async function tabRules(tabId: number): Promise<unknown[]> {
  const stored = (await browser.storage.session.get(key(tabId)))[key(tabId)];
  return Array.isArray(stored) ? stored : [];
}

export async function setTabRules(tabId: number, rules: unknown[]): Promise<void> {
  if (rules.length === 0) await browser.storage.session.remove(key(tabId));
  else await browser.storage.session.set({ [key(tabId)]: rules });
}

export const shapeCommand = (rules: unknown[]): PanelNotice => ({ v: PROTOCOL_VERSION, type: 'shape', rules });

browser.tabs.onRemoved.addListener((tabId) => void browser.storage.session.remove(key(tabId)));
