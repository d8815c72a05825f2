// "Provide WebSocketStream", remembered per origin in extension storage and
// carried out by a MAIN-world content script registered for those origins
// (see extension/content/provide-websocket-stream.ts). Match patterns have no
// port, so an origin's setting applies to its host on every port.
import browser from 'webextension-polyfill';
import type { ProvideSetting } from '../../shim/protocol';

const STORAGE_KEY = 'provideWebSocketStream';
const SCRIPT_ID = 'provide-websocket-stream';

/** Changes are applied one at a time: storage and registration stay in step. */
let queue: Promise<unknown> = Promise.resolve();

/** The setting for `origin`, after setting it to `enabled` when given. */
export function provideSetting(origin: string | null, enabled: boolean | undefined): Promise<ProvideSetting> {
  const next = queue.then(async (): Promise<ProvideSetting> => {
    const origins = await storedOrigins();
    if (origin === null) return { origin, enabled: false };
    if (enabled === undefined || enabled === origins.includes(origin)) return { origin, enabled: origins.includes(origin) };
    const updated = enabled ? [...origins, origin] : origins.filter((o) => o !== origin);
    await browser.storage.local.set({ [STORAGE_KEY]: updated });
    await register(updated);
    return { origin, enabled };
  });
  queue = next.catch(() => undefined);
  return next;
}

async function storedOrigins(): Promise<string[]> {
  const stored = (await browser.storage.local.get(STORAGE_KEY))[STORAGE_KEY];
  return Array.isArray(stored) ? stored.filter((o): o is string => typeof o === 'string') : [];
}

async function register(origins: string[]): Promise<void> {
  const registered = await browser.scripting.getRegisteredContentScripts({ ids: [SCRIPT_ID] });
  if (registered.length > 0) await browser.scripting.unregisterContentScripts({ ids: [SCRIPT_ID] });
  if (origins.length === 0) return;
  await browser.scripting.registerContentScripts([
    {
      id: SCRIPT_ID,
      js: ['provide-websocket-stream.js'],
      matches: [...new Set(origins.map(matchPattern))],
      runAt: 'document_start',
      allFrames: true,
      world: 'MAIN',
      persistAcrossSessions: true,
    },
  ]);
}

/** `http://host:port` → `http://host/*` (IPv6 hosts keep their brackets). */
function matchPattern(origin: string): string {
  const { protocol, hostname } = new URL(origin);
  return `${protocol}//${hostname}/*`;
}
