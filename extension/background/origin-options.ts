// Options the user turns on per origin ("Provide WebSocketStream", "WebSocket
// over stream"), remembered in extension storage and carried out by a
// MAIN-world content script per option, registered for those origins (see
// extension/content/origin-option.ts). Match patterns have no port, so an
// origin's setting applies to its host on every port.
import browser from 'webextension-polyfill';
import type { OriginOptionSetting } from '../../shim/wire/messages';
import { CAPTURE_WORKERS, ORIGIN_OPTIONS, type OriginOption, type OriginSetting } from '../../shim/wire/names';
import { matchPattern } from './origin-of';
import { captureWorkersOn } from './worker-capture';

/** Changes are applied one at a time: storage and registration stay in step. */
let queue: Promise<unknown> = Promise.resolve();

/** The option's setting for `origin`, after setting it to `enabled` when given. */
export function originOption(option: OriginSetting, origin: string | null, enabled: boolean | undefined): Promise<OriginOptionSetting> {
  const next = queue.then(async (): Promise<OriginOptionSetting> => {
    const origins = await storedOrigins(option);
    if (origin === null) return { origin, enabled: false };
    if (enabled === undefined || enabled === origins.includes(origin)) return { origin, enabled: origins.includes(origin) };
    const updated = enabled ? [...origins, origin] : origins.filter((o) => o !== origin);
    await browser.storage.local.set({ [option]: updated });
    // Answered once the tabs showing the origin are ready for its next load.
    if (option === CAPTURE_WORKERS) await captureWorkersOn(updated);
    else await register(option, updated);
    return { origin, enabled };
  });
  queue = next.catch(() => undefined);
  return next;
}

export async function storedOrigins(option: OriginSetting): Promise<string[]> {
  const stored = (await browser.storage.local.get(option))[option];
  return Array.isArray(stored) ? stored.filter((o): o is string => typeof o === 'string') : [];
}

async function register(option: OriginOption, origins: string[]): Promise<void> {
  const id = ORIGIN_OPTIONS[option].script;
  const registered = await browser.scripting.getRegisteredContentScripts({ ids: [id] });
  if (registered.length > 0) await browser.scripting.unregisterContentScripts({ ids: [id] });
  if (origins.length === 0) return;
  await browser.scripting.registerContentScripts([
    {
      id,
      js: [`${id}.js`],
      matches: [...new Set(origins.map(matchPattern))],
      runAt: 'document_start',
      allFrames: true,
      // Also in about:blank, srcdoc, blob: and data: frames and sandboxed ones, by their creator's origin, as the shim's own script.
      matchOriginAsFallback: true,
      world: 'MAIN',
      persistAcrossSessions: true,
    },
  ]);
}
