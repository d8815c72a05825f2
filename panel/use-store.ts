import { useEffect, useState } from 'preact/hooks';
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
