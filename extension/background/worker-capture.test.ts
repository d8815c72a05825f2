// Firefox's route: its blocking webRequest listener makes every script request
// it matches wait for the background, so it must be there only while some
// origin has capture on, and match only those origins' hosts.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

type Registration = { urls: string[]; types: string[]; extra: string[] };

const fake = vi.hoisted(() => {
  const listeners = new Map<unknown, Registration>();
  const browser = {
    runtime: { getURL: (path: string) => `moz-extension://test/${path}` },
    tabs: { onUpdated: { addListener: () => undefined }, query: async () => [] },
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

  it('listens, blocking, for the script requests of the captured hosts only, and stops with the last origin', async () => {
    const { startWorkerCapture, captureWorkersOn } = await background();
    startWorkerCapture(Promise.resolve([]));
    await captureWorkersOn(['http://127.0.0.1:8080']);
    expect(registered()).toEqual([{ urls: ['http://127.0.0.1/*'], types: ['script'], extra: ['blocking', 'requestHeaders'] }]);
    // Firefox's patterns take no port: two ports of a host are one pattern.
    await captureWorkersOn(['http://127.0.0.1:8080', 'https://example.test', 'http://127.0.0.1:9090']);
    expect(registered()).toEqual([{ urls: ['http://127.0.0.1/*', 'https://example.test/*'], types: ['script'], extra: ['blocking', 'requestHeaders'] }]);
    await captureWorkersOn(['https://example.test']);
    expect(registered().map(({ urls }) => urls)).toEqual([['https://example.test/*']]);
    await captureWorkersOn([]);
    expect(registered()).toEqual([]);
  });

  it('listens from the stored origins at start, and in the first turn of the next start', async () => {
    const first = await background();
    first.startWorkerCapture(Promise.resolve(['https://example.test']));
    expect(registered()).toEqual([]);
    await vi.waitFor(() => expect(registered().map(({ urls }) => urls)).toEqual([['https://example.test/*']]));
    // The event page suspended: its listeners are gone, what it remembered is not.
    fake.listeners.clear();
    const next = await background();
    next.startWorkerCapture(new Promise(() => undefined));
    expect(registered().map(({ urls }) => urls)).toEqual([['https://example.test/*']]);
  });

  it('drops a remembered listener that storage says is off', async () => {
    store.set('sockscope.captureWorkers', JSON.stringify(['https://example.test']));
    const { startWorkerCapture } = await background();
    startWorkerCapture(Promise.resolve([]));
    expect(registered()).toHaveLength(1);
    await vi.waitFor(() => expect(registered()).toEqual([]));
  });
});
