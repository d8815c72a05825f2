// Firefox's route: its blocking webRequest listener makes every script request
// wait for the background, so it must be there only while some origin has
// capture on.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

type Registration = { urls: string[]; types: string[]; extra: string[] };

const fake = vi.hoisted(() => {
  const listeners = new Map<unknown, Registration>();
  const browser = {
    runtime: { getURL: (path: string) => `moz-extension://test/${path}` },
    tabs: { onUpdated: { addListener: () => undefined }, onRemoved: { addListener: () => undefined }, query: async () => [] },
    webRequest: {
      filterResponseData: () => undefined,
      onBeforeSendHeaders: {
        addListener: (listener: unknown, filter: { urls: string[]; types: string[] }, extra: string[]) => {
          if (listeners.has(listener)) throw new Error('added twice');
          listeners.set(listener, { ...filter, extra });
        },
        removeListener: (listener: unknown) => listeners.delete(listener),
      },
    },
  };
  return { browser, listeners };
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
});
