// Workers the page started that Sockscope does not see: each realm's shim says
// which workers it started and whether each one's shim answered. Listed below
// the socket list, so a page's missing sockets have an explanation.
import type { WireWorker, WorkerStatus } from '../../shim/wire/messages';
import { formatCount, oneLine } from '../model/format';
import type { LogStore, StartedWorkerList } from '../model/store';
import './uninstrumented.css';

/** Rows shown; the rest are counted. */
const SHOWN = 50;
const URL_CHARS = 300;

const EXPLAINED =
  'The page started these workers, and Sockscope runs in none of them: their sockets show at most as not instrumented, without messages. ' +
  '"Capture workers" in the toolbar reaches most workers; not Chromium\'s SharedWorkers, nor, in Firefox, workers from blob: or data: URLs.';

const STATUS: Record<Exclude<WorkerStatus, 'captured'>, { text: string; title: string }> = {
  'not-captured': { text: 'not captured', title: 'Its first message was its own: Sockscope does not run in it' },
  unknown: { text: 'not heard from', title: 'It has sent nothing yet: a worker Sockscope runs in says so as it starts, so this one is still starting or runs without Sockscope' },
};

/** The workers of every realm that Sockscope does not see, oldest first, and how many earlier ones the realms did not list. */
export function unseenWorkers(lists: Iterable<StartedWorkerList>): { workers: (WireWorker & { key: string })[]; earlier: number } {
  const workers: (WireWorker & { key: string })[] = [];
  let earlier = 0;
  for (const list of lists) {
    earlier += list.more;
    list.workers.forEach((worker, i) => {
      if (worker.status !== 'captured') workers.push({ ...worker, key: `${list.instance}:${list.more + i}` });
    });
  }
  return { workers, earlier };
}

export function UnseenWorkers({ store }: { store: LogStore }) {
  const { workers, earlier } = unseenWorkers(store.workers.value.values());
  if (workers.length === 0) return null;
  return (
    <section class="uninstrumented" data-testid="unseen-workers" aria-label="Workers Sockscope does not see">
      <h2 class="uninstrumented-title" title={EXPLAINED}>
        Workers Sockscope does not see ({formatCount(workers.length)})
      </h2>
      <ul class="uninstrumented-list">
        {workers.slice(-SHOWN).map((worker) => {
          const status = STATUS[worker.status as keyof typeof STATUS];
          return (
            <li key={worker.key} class="uninstrumented-row" data-testid="unseen-worker-row" title={EXPLAINED}>
              <span class="badge">{worker.kind === 'shared' ? 'shared worker' : 'dedicated worker'}</span>
              <span class="uninstrumented-url">{worker.url === null ? '(script URL not given as text)' : oneLine(worker.url, URL_CHARS)}</span>
              <span class="badge" title={status.title}>
                {status.text}
              </span>
            </li>
          );
        })}
      </ul>
      {workers.length > SHOWN && <p class="uninstrumented-more">and {formatCount(workers.length - SHOWN)} earlier</p>}
      {earlier > 0 && <p class="uninstrumented-more">Older workers not listed: {formatCount(earlier)}, whether Sockscope sees them or not</p>}
    </section>
  );
}
