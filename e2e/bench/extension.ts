// The built extension as the bench loads it, and what the bench asks of it.
import { WIRE_VERSION } from '../../shim/wire/messages';
import { PORT_PANEL } from '../../shim/wire/names';
import type { SocketInfo } from '../../shim/wire/records';
import { Target, type Chromium } from './chromium-pipe';

/** The id of the loaded extension, from its background service worker's URL. */
export async function findExtension(browser: Chromium, timeoutMs = 15_000): Promise<{ id: string; worker: string }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { targetInfos } = (await browser.send('Target.getTargets')) as { targetInfos: { type: string; url: string; targetId: string }[] };
    const worker = targetInfos.find((t) => t.type === 'service_worker' && t.url.startsWith('chrome-extension://'));
    if (worker) return { id: new URL(worker.url).host, worker: worker.targetId };
    if (Date.now() > deadline) throw new Error('the extension did not start: no background service worker');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Extension tab ids by window id, asked of the background worker. Tab URLs are
 * hidden from it (no "tabs" permission), but each bench tab has a window of its
 * own whose id CDP and the extension API share.
 */
export async function tabIdsByWindow(browser: Chromium, workerTargetId: string): Promise<Map<number, number>> {
  const worker = await Target.attach(browser, workerTargetId);
  try {
    // Attached just as it starts, the worker may not have its extension API yet: wait for it (5 s at most).
    const tabs = await worker.evaluate<{ id: number; windowId: number }[]>(`(async () => {
      for (let tries = 0; typeof chrome === 'undefined' && tries < 100; tries++) await new Promise((resolve) => setTimeout(resolve, 50));
      return chrome.tabs.query({}).then((tabs) => tabs.map((t) => ({ id: t.id, windowId: t.windowId })));
    })()`);
    const byWindow = new Map<number, number>();
    for (const { id, windowId } of tabs) byWindow.set(windowId, byWindow.has(windowId) ? -1 : id);
    return byWindow;
  } finally {
    await browser.send('Target.detachFromTarget', { sessionId: worker.sessionId });
  }
}

export interface ShimState {
  sockets: SocketInfo[];
  /** Messages the shim still held (its history is bounded). */
  messages: number;
}

/**
 * What a tab's shim recorded, asked the way the panel asks: over a panel port
 * to the background, attach to the tab, subscribe from the start, and collect
 * the replayed batches until a closed socket whose URL contains `urlPart` shows
 * up (plus one more poll for trailing batches). Runs in `page`, any extension page.
 */
export async function readShimState(page: Target, tabId: number, urlPart: string, timeoutMs = 10_000): Promise<ShimState> {
  return page.evaluate<ShimState>(`new Promise((resolve) => {
    const port = chrome.runtime.connect({ name: ${JSON.stringify(PORT_PANEL)} });
    const sockets = new Map();
    let messages = 0;
    const finish = () => { clearInterval(poll); port.disconnect(); resolve({ sockets: [...sockets.values()], messages }); };
    port.onMessage.addListener((m) => {
      if (m.type !== 'batch') return;
      const body = JSON.parse(m.body);
      for (const s of body.sockets) sockets.set(m.instance + '/' + s.id, s);
      messages += body.messages.length;
    });
    port.postMessage({ v: ${WIRE_VERSION}, type: 'attach', tabId: ${tabId} });
    port.postMessage({ v: ${WIRE_VERSION}, type: 'subscribe', since: {} });
    const started = Date.now();
    let seen = false;
    const poll = setInterval(() => {
      if (seen || Date.now() - started > ${timeoutMs}) return finish();
      seen = [...sockets.values()].some((s) => s.url.includes(${JSON.stringify(urlPart)}) && s.readyState === 3);
    }, 100);
  })`);
}
