// Firefox's route: its blocking webRequest listener makes every script request
// wait for the background, so it must be there only while some origin has
// capture on.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

type Registration = { urls: string[]; types: string[]; extra: string[] };

/** What a response filter was given to write, and its handlers. */
interface FakeFilter {
  written: Uint8Array[];
  ondata?: (event: { data: ArrayBuffer }) => void;
  onstop?: () => void;
  write(data: Uint8Array): void;
  close(): void;
}

const fake = vi.hoisted(() => {
  const listeners = new Map<unknown, Registration>();
  /** Extension storage, which outlives the background. */
  const storage = new Map<string, unknown>();
  const filters: FakeFilter[] = [];
  const browser = {
    runtime: { getURL: (path: string) => `moz-extension://test/${path}` },
    storage: {
      local: {
        get: async (key: string) => (storage.has(key) ? { [key]: storage.get(key) } : {}),
        set: async (items: Record<string, unknown>) => void Object.entries(items).forEach(([key, value]) => storage.set(key, value)),
      },
    },
    tabs: { onUpdated: { addListener: () => undefined }, onRemoved: { addListener: () => undefined }, query: async () => [] },
    webRequest: {
      filterResponseData: () => {
        const filter: FakeFilter = { written: [], write: (data) => void filter.written.push(new Uint8Array(data)), close: () => undefined };
        filters.push(filter);
        return filter;
      },
      onBeforeSendHeaders: {
        addListener: (listener: unknown, filter: { urls: string[]; types: string[] }, extra: string[]) => {
          if (listeners.has(listener)) throw new Error('added twice');
          listeners.set(listener, { ...filter, extra });
        },
        removeListener: (listener: unknown) => listeners.delete(listener),
      },
    },
  };
  return { browser, listeners, storage, filters };
});

vi.mock('webextension-polyfill', () => ({ default: fake.browser }));

/** The module afresh, as in a background just started (or woken). */
const background = async () => {
  vi.resetModules();
  return import('./worker-capture');
};

const registered = (): Registration[] => [...fake.listeners.values()];

/** The extension's localStorage, which outlives the background. */
const store = new Map<string, string>();

beforeEach(() => {
  vi.stubGlobal('fetch', async () => new Response(new Uint8Array([1])));
  vi.stubGlobal('localStorage', {
    getItem: (key: string) => store.get(key) ?? null,
    setItem: (key: string, value: string) => store.set(key, value),
  });
});

afterEach(() => {
  fake.listeners.clear();
  fake.storage.clear();
  fake.filters.length = 0;
  store.clear();
  vi.unstubAllGlobals();
});

describe('Capture workers in Firefox', () => {
  it('registers no webRequest listener while no origin has capture on', async () => {
    const { startWorkerCapture, captureWorkersOn } = await background();
    startWorkerCapture(Promise.resolve([]));
    await captureWorkersOn([]);
    expect(registered()).toEqual([]);
  });

  it('listens, blocking, for every http(s) script request while some origin has capture on, and stops with the last', async () => {
    const { startWorkerCapture, captureWorkersOn } = await background();
    startWorkerCapture(Promise.resolve([]));
    const listening = [{ urls: ['http://*/*', 'https://*/*'], types: ['script'], extra: ['blocking', 'requestHeaders'] }];
    await captureWorkersOn(['http://127.0.0.1:8080']);
    expect(registered()).toEqual(listening);
    await captureWorkersOn(['http://127.0.0.1:8080', 'https://example.test']);
    expect(registered()).toEqual(listening);
    await captureWorkersOn([]);
    expect(registered()).toEqual([]);
  });

  it('listens from the stored origins at start, and in the first turn of the next start', async () => {
    const first = await background();
    first.startWorkerCapture(Promise.resolve(['https://example.test']));
    expect(registered()).toEqual([]);
    await vi.waitFor(() => expect(registered()).toHaveLength(1));
    // The event page suspended: its listeners are gone, what it remembered is not.
    fake.listeners.clear();
    const next = await background();
    next.startWorkerCapture(new Promise(() => undefined));
    expect(registered()).toHaveLength(1);
  });

  it('drops a remembered listener that storage says is off', async () => {
    store.set('sockscope.captureWorkers', 'on');
    const { startWorkerCapture } = await background();
    startWorkerCapture(Promise.resolve([]));
    expect(registered()).toHaveLength(1);
    await vi.waitFor(() => expect(registered()).toEqual([]));
  });

  it("starts a service worker's script with its channel's name, the same from one start to the next", async () => {
    /** What the route makes of a script requested with this Sec-Fetch-Dest, for a tab-less worker of a captured origin. */
    const rewritten = async (destination: string): Promise<string> => {
      const [listener] = fake.listeners.keys() as IterableIterator<(details: object) => Promise<unknown> | undefined>;
      await listener({ requestId: '1', tabId: -1, originUrl: 'https://example.test/page', requestHeaders: [{ name: 'Sec-Fetch-Dest', value: destination }] });
      const filter = fake.filters.pop()!;
      filter.ondata!({ data: new TextEncoder().encode('work();').buffer });
      filter.onstop!();
      return new TextDecoder().decode(Uint8Array.from(filter.written.flatMap((chunk) => [...chunk])));
    };
    const first = await background();
    first.startWorkerCapture(Promise.resolve(['https://example.test']));
    await vi.waitFor(() => expect(registered()).toHaveLength(1));
    const service = await rewritten('serviceworker');
    expect(service).toMatch(/^self\.sockscopeServiceWorkerChannel="sockscope-[0-9a-f-]{36}";\x01work\(\);$/);
    expect(await rewritten('worker')).toBe('\x01work();');

    fake.listeners.clear();
    const next = await background();
    next.startWorkerCapture(Promise.resolve(['https://example.test']));
    await vi.waitFor(() => expect(registered()).toHaveLength(1));
    expect(await rewritten('serviceworker')).toBe(service);
  });
});
