// The panel's shaping rules per tab. They outlive the panel (closed and
// opened again) and the worker (MV3 stops it at will): kept in session
// storage, gone when the browser closes or the tab does.
//
// So that rules apply from a page's first message, a page's shim holds the
// sockets it opens while loading until the tab's rules reach it. A content
// script cannot learn its tab's rules synchronously, and holding events is
// observable (held events are re-dispatched copies), so pages are asked to
// wait only while some tab has rules: a MAIN-world script registered for
// every page meanwhile dispatches AWAIT_RULES_EVENT to the shim. With no
// rules anywhere, no page waits and nothing can be told from native.
import browser from 'webextension-polyfill';
import { envelope, type PanelRule, type SocketCommands } from '../../shim/wire/messages';
import { readPanelRules } from '../../shim/wire/readers';

const PREFIX = 'rules:';
const key = (tabId: number): string => `${PREFIX}${tabId}`;
const AWAIT_SCRIPT = 'await-rules';

export async function tabRules(tabId: number): Promise<PanelRule[]> {
  const stored = (await browser.storage.session.get(key(tabId)))[key(tabId)];
  // Written by an older version, perhaps: what does not read as rules now is none.
  return readPanelRules(stored) ?? [];
}

export async function setTabRules(tabId: number, rules: PanelRule[]): Promise<void> {
  if (rules.length === 0) await browser.storage.session.remove(key(tabId));
  else await browser.storage.session.set({ [key(tabId)]: rules });
  await syncAwaitScript();
}

/** Changes are applied one at a time: registration follows storage. */
let syncing: Promise<unknown> = Promise.resolve();

/** Registers the await-rules script while any tab has rules, and unregisters it when none has. */
function syncAwaitScript(): Promise<void> {
  const next = syncing.then(async () => {
    const stored = await browser.storage.session.get(null);
    const wanted = Object.keys(stored).some((name) => name.startsWith(PREFIX));
    const registered = (await browser.scripting.getRegisteredContentScripts({ ids: [AWAIT_SCRIPT] })).length > 0;
    if (wanted === registered) return;
    if (!wanted) return browser.scripting.unregisterContentScripts({ ids: [AWAIT_SCRIPT] });
    await browser.scripting.registerContentScripts([
      {
        id: AWAIT_SCRIPT,
        js: [`${AWAIT_SCRIPT}.js`],
        matches: ['http://*/*', 'https://*/*', 'file:///*'],
        runAt: 'document_start',
        allFrames: true,
        // Also in about:blank, srcdoc, blob: and data: frames and sandboxed ones, by their creator's origin, as the shim's own script.
        matchOriginAsFallback: true,
        world: 'MAIN',
        persistAcrossSessions: false,
      },
    ]);
  });
  syncing = next.catch((error: unknown) => console.warn('[sockscope] could not update the await-rules script', error));
  return next;
}

export const shapeCommand = (rules: PanelRule[]) => envelope<SocketCommands, 'shape'>('shape', { rules });

browser.tabs.onRemoved.addListener((tabId) => void browser.storage.session.remove(key(tabId)).then(syncAwaitScript));
