// Which kind of worker a realm is, read once at install from the interfaces
// the platform exposes only there (DedicatedWorkerGlobalScope is exposed only
// in dedicated workers, and so on).
import type { WorkerKind } from '../wire/records';

export function workerKind(global: typeof globalThis): WorkerKind | null {
  const exposed = (name: string) => typeof (global as unknown as Record<string, unknown>)[name] === 'function';
  if (exposed('DedicatedWorkerGlobalScope')) return 'dedicated';
  if (exposed('SharedWorkerGlobalScope')) return 'shared';
  if (exposed('ServiceWorkerGlobalScope')) return 'service';
  return null;
}
