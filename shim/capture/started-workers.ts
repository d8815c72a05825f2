// The workers a realm started, for the panel's list of workers Sockscope does
// not see: each one's kind, its script URL as the page gave it, and whether its
// shim's port came. Bounded: the latest WORKERS_LISTED, the earlier ones counted.
import { getter, isWellFormed, stringSlice, toWellFormed } from '../realm/natives';
import { WORKER_URL_CHARS, WORKERS_LISTED, type ShimEvents, type WireWorker, type WorkerStatus } from '../wire/messages';

const urlHref = getter<string>(URL.prototype, 'href');

/**
 * The script URL the page passed, read without running page code: a string as
 * it is, a URL through the native getter (never its toString or href, which the
 * page can replace, and whose second call it would see); anything else
 * (a TrustedScriptURL, an object with toString) is null.
 */
function scriptUrl(argument: unknown): string | null {
  let url: string;
  if (typeof argument === 'string') url = argument;
  else {
    try {
      url = urlHref(argument);
    } catch {
      // Not a URL: the brand check refused it.
      return null;
    }
  }
  if (url.length <= WORKER_URL_CHARS) return url;
  const cut = stringSlice(url, 0, WORKER_URL_CHARS);
  // A cut surrogate pair would not survive the JSON of the extension's ports.
  return isWellFormed(cut) ? cut : toWellFormed(cut);
}

export interface StartedWorkers {
  /** Records a worker the page just started; returns how its status is later set. */
  started(kind: WireWorker['kind'], argument: unknown): (status: WorkerStatus) => void;
  /** The list a `workers` event carries. */
  wire(instance: string): ShimEvents['workers'];
  /** Called whenever the list changes (set by whoever tells the panel). */
  onChange: () => void;
}

export function startedWorkers(): StartedWorkers {
  const workers: WireWorker[] = [];
  let more = 0;
  const list: StartedWorkers = {
    onChange: () => {},
    started(kind, argument) {
      const worker: WireWorker = { kind, url: scriptUrl(argument), status: 'unknown' };
      if (workers.length === WORKERS_LISTED) {
        // Index loops: the page can patch Array.prototype.shift.
        for (let i = 1; i < workers.length; i++) workers[i - 1] = workers[i];
        workers.length--;
        more++;
      }
      workers[workers.length] = worker;
      list.onChange();
      return (status) => {
        worker.status = status;
        list.onChange();
      };
    },
    wire(instance) {
      const copy: WireWorker[] = [];
      for (let i = 0; i < workers.length; i++) copy[i] = { kind: workers[i].kind, url: workers[i].url, status: workers[i].status };
      return { instance, workers: copy, more };
    },
  };
  return list;
}
