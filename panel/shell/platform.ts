// Everything the panel asks of the browser's extension APIs. The panel runs
// inside DevTools, or as an ordinary extension tab (`?tabId=N`, which tests
// and benchmarks use), where `browser.devtools` does not exist.
import browser, { type Devtools } from 'webextension-polyfill';
import { envelope, type BackgroundRequests, type OriginOptionSetting } from '../../shim/wire/messages';
import { PORT_PANEL, type OriginSetting } from '../../shim/wire/names';
import type { PanelPort } from '../model/connection';

export type Theme = 'light' | 'dark';

const devtools = (): Devtools.Static | undefined => (browser as { devtools?: Devtools.Static }).devtools;

/** The inspected tab, or null when neither DevTools nor the URL names one. */
export function inspectedTabId(): number | null {
  const fromDevtools = devtools()?.inspectedWindow.tabId;
  if (fromDevtools !== undefined) return fromDevtools;
  const param = new URLSearchParams(location.search).get('tabId');
  return param !== null && /^\d+$/.test(param) ? Number(param) : null;
}

export const openPort = (): PanelPort => browser.runtime.connect({ name: PORT_PANEL });

/** Calls `apply` with the DevTools theme (else the system's) now and whenever it changes; returns a stop function. */
export function watchTheme(apply: (theme: Theme) => void): () => void {
  const panels = devtools()?.panels;
  if (panels) {
    const onTheme = (name: string) => apply(name === 'dark' ? 'dark' : 'light');
    onTheme(panels.themeName);
    // Firefox reports theme changes; Chrome has no such event.
    const changed = panels.onThemeChanged as typeof panels.onThemeChanged | undefined;
    changed?.addListener(onTheme);
    return () => changed?.removeListener(onTheme);
  }
  const query = matchMedia('(prefers-color-scheme: dark)');
  const onChange = () => apply(query.matches ? 'dark' : 'light');
  onChange();
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
}

/** The panel runs in Firefox (its extension pages' scheme), where workers are reached another way than in Chromium. */
export const inFirefox = location.protocol === 'moz-extension:';

/** Pages here get a WebSocketStream only if Sockscope provides one (Firefox). */
export const browserLacksWebSocketStream = !('WebSocketStream' in globalThis);

/** The inspected page's origin and an option's setting there, after setting it to `enabled` when given. */
export async function originOption(option: OriginSetting, tabId: number, enabled?: boolean): Promise<OriginOptionSetting> {
  const request = envelope<BackgroundRequests, 'origin-option'>('origin-option', { option, tabId, enabled });
  return (await browser.runtime.sendMessage(request)) as OriginOptionSetting;
}

/** The extension's version, as its manifest says. */
export const extensionVersion = (): string => browser.runtime.getManifest().version;
