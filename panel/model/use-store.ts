import { useEffect, useMemo, useState } from 'preact/hooks';
import { SplitSearch, type WorkerPort } from '../search/split-search';
import type { LogStore } from './store';

/** Re-renders the caller when the store changed (at most once per frame); returns the store's version. */
export function useStoreVersion(store: LogStore): number {
  const [version, setVersion] = useState(store.version);
  useEffect(() => {
    // Catch up on changes between the first render and this subscription.
    setVersion(store.version);
    return store.subscribe(() => setVersion(store.version));
  }, [store]);
  return version;
}

/** A worker for the store's filters (see ./search-worker.ts), fed as the store changes and stopped with it. */
export function useSearchWorker(store: LogStore): SplitSearch {
  const search = useMemo(() => new SplitSearch(store.frameLog, startFilterWorker), [store]);
  useEffect(() => {
    const unsubscribe = store.subscribe(() => search.sync());
    return () => {
      unsubscribe();
      search.close();
    };
  }, [store, search]);
  return search;
}

// The bundler finds the worker's module by this very expression.
const startFilterWorker = (): WorkerPort => new Worker(new URL('../search/search-worker.ts', import.meta.url), { type: 'module' });
