// Every socket's opening handshake, as the browser's network layer sees it
// (webRequest, resource type `websocket`): the request and response headers,
// the status, or why it failed. It sees sockets no shim reports (a worker's,
// say), which the panel lists as not instrumented. Kept per tab in memory,
// bounded, newest kept: MV3 may stop this worker, and with it what it kept.
import browser, { type WebRequest } from 'webextension-polyfill';
import type { Handshake, Header } from '../../shim/wire/messages';
import { HANDSHAKE_HEADERS, HEADER_CHARS } from '../../shim/wire/readers';
import { originOf } from './origin-of';

/** Handshakes kept per tab. */
const KEPT_PER_TAB = 200;

const byTab = new Map<number, Map<string, Handshake>>();

/** What a request's details say of where it comes from. */
interface RequestDetails {
  tabId: number;
  requestId: string;
  url: string;
  frameId: number;
  timeStamp: number;
  /** Chromium: the origin that made the request. */
  initiator?: string;
  /** Firefox: the URL of the document or worker that made it. */
  originUrl?: string;
}

/**
 * Calls `changed` with each handshake as it starts, is answered or fails, for
 * its tab. A shared or service worker's belongs to no tab (Chromium's
 * SharedWorkers, Firefox's service workers): it goes to every tab `showing`
 * the origin that made it, the worker's clients among them.
 */
export function listenForHandshakes(changed: (tabId: number, handshake: Handshake) => void, showing: (origin: string) => number[]): void {
  const filter: WebRequest.RequestFilter = { urls: ['<all_urls>'], types: ['websocket'] };
  const tabsOf = (details: RequestDetails): number[] => {
    if (details.tabId >= 0) return [details.tabId];
    const origin = originOf(details.initiator ?? details.originUrl);
    return origin === null ? [] : showing(origin);
  };
  const update = (details: RequestDetails, change: Partial<Handshake>) => {
    for (const tabId of tabsOf(details)) changed(tabId, updated(tabId, details, change));
  };
  // Chromium shows a handshake's headers beyond User-Agent only to a listener that asks for the extra ones (Firefox has no such option).
  const extra = (options: Record<string, string> | undefined) => (options && Object.values(options).includes('extraHeaders') ? ['extraHeaders' as const] : []);
  const { OnSendHeadersOptions, OnHeadersReceivedOptions } = browser.webRequest as unknown as Record<string, Record<string, string> | undefined>;
  browser.webRequest.onSendHeaders.addListener((details) => update(details, { requestHeaders: kept(details.requestHeaders) }), filter, [
    'requestHeaders',
    ...extra(OnSendHeadersOptions),
  ] as WebRequest.OnSendHeadersOptions[]);
  browser.webRequest.onHeadersReceived.addListener((details) => update(details, { status: details.statusCode, responseHeaders: kept(details.responseHeaders) }), filter, [
    'responseHeaders',
    ...extra(OnHeadersReceivedOptions),
  ] as WebRequest.OnHeadersReceivedOptions[]);
  browser.webRequest.onErrorOccurred.addListener((details) => update(details, { error: details.error.slice(0, HEADER_CHARS) }), filter);
  browser.tabs.onRemoved.addListener((tabId) => byTab.delete(tabId));
}

/** The handshakes a tab kept, oldest first. */
export const tabHandshakes = (tabId: number): Handshake[] => [...(byTab.get(tabId)?.values() ?? [])];

/** The tab's record of a handshake, with `change` applied. */
function updated(tabId: number, details: RequestDetails, change: Partial<Handshake>): Handshake {
  let tab = byTab.get(tabId);
  if (!tab) byTab.set(tabId, (tab = new Map()));
  const handshake: Handshake = {
    ...(tab.get(details.requestId) ?? {
      requestId: details.requestId,
      url: details.url,
      frameId: details.frameId,
      at: details.timeStamp,
      requestHeaders: [],
      status: null,
      responseHeaders: [],
      error: null,
    }),
    ...change,
  };
  tab.set(details.requestId, handshake);
  if (tab.size > KEPT_PER_TAB) tab.delete(tab.keys().next().value as string);
  return handshake;
}

/** Headers within the wire's bounds: the first HANDSHAKE_HEADERS, each name and value cut to HEADER_CHARS. */
function kept(headers: WebRequest.HttpHeaders | undefined): Header[] {
  return (headers ?? []).slice(0, HANDSHAKE_HEADERS).map(({ name, value }) => [name.slice(0, HEADER_CHARS), (value ?? '').slice(0, HEADER_CHARS)]);
}
