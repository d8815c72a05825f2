import { useEffect, useMemo } from 'preact/hooks';
import { SplitSearch, type WorkerPort } from '../search/split-search';
import type { LogStore } from './store';

/** A worker for the store's filters (see ./search-worker.ts), fed as the store changes and stopped with it. */
export function useSearchWorker(store: LogStore): SplitSearch {
  const search = useMemo(() => new SplitSearch(store.messageLog, startFilterWorker), [store]);
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
