// Stops an extension's MV3 background service worker the way Chromium does
// when it is idle, and watches it start again.
//
// Facts (Chromium 156): a CDP session on any page, after ServiceWorker.enable,
// reports every registration in the profile, the extension's included
// (scope chrome-extension://<id>/). ServiceWorker.stopWorker moves the version
// running → stopping → stopped; the worker starts again (starting → running)
// only when something wakes it, e.g. a runtime port reconnecting. Its CDP
// target keeps the same id across the restart, so target events cannot tell
// a restart; the version's runningStatus can.
import type { BrowserContext, CDPSession } from 'playwright-core';
import { waitFor } from './wait';

export type RunningStatus = 'stopped' | 'starting' | 'running' | 'stopping';

interface WorkerVersion {
  versionId: string;
  scriptURL: string;
  runningStatus: RunningStatus;
}

export interface ServiceWorkerWatch {
  /** The latest running status Chromium reported. */
  status(): RunningStatus;
  /** Every status reported since watching started, in order (repeats collapsed). */
  history(): RunningStatus[];
  /** Stops the worker and resolves once Chromium reports it stopped. */
  stop(): Promise<void>;
  /** Resolves once the worker is running (again). */
  waitForRunning(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function watchServiceWorker(context: BrowserContext, extensionId: string): Promise<ServiceWorkerWatch> {
  const page = context.pages()[0] ?? (await context.newPage());
  const session: CDPSession = await context.newCDPSession(page);
  const scope = `chrome-extension://${extensionId}/`;
  let version: WorkerVersion | null = null;
  const history: RunningStatus[] = [];

  session.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
    for (const v of versions as WorkerVersion[]) {
      if (!v.scriptURL.startsWith(scope)) continue;
      version = v;
      if (history.at(-1) !== v.runningStatus) history.push(v.runningStatus);
    }
  });
  await session.send('ServiceWorker.enable');
  const current = (): WorkerVersion | null => version;
  await waitFor(`the service worker of extension ${extensionId} to be reported`, current, { timeoutMs: 10_000 });

  return {
    status: () => current()!.runningStatus,
    history: () => [...history],
    async stop() {
      // Read the history rather than the current status: the worker may already
      // be starting again by the time a poll would look.
      const mark = history.length;
      await session.send('ServiceWorker.stopWorker', { versionId: current()!.versionId });
      await waitFor(
        () => `the extension's service worker to stop (statuses since: ${history.slice(mark).join(' → ') || 'none'})`,
        () => history.slice(mark).includes('stopped'),
      );
    },
    async waitForRunning(timeoutMs = 10_000) {
      await waitFor(
        () => `the extension's service worker to run (now ${current()!.runningStatus})`,
        () => current()!.runningStatus === 'running',
        { timeoutMs },
      );
    },
    close: () => session.detach().catch(() => {}),
  };
}
