// Sockscope in a page's dedicated and shared workers (Chromium; its service
// workers: worker-targets.ts): the helper answers each worker script the page
// loads itself (fetched anew with `route.fetch()`), with
// the one-line shim first on its first line (after its directive prologue,
// so "use strict"; stays in force). The worker keeps its URL (so its
// `self.location`), and its code its line numbers.
//
// Which requests are a worker's scripts: Playwright's route does not say
// (Sec-Fetch-Dest is not among a routed request's headers: the browser adds
// it after), so the helper asks Chromium itself, over its own CDP session on
// the page: the request that starts a dedicated or shared worker is a Script
// request of no document (an empty loaderId), which no script of a document
// is. The modules a module worker imports, and what `importScripts` loads,
// are requested by the worker with its script as Referer: each of those
// evaluates before the script importing it, so each carries the shim, and
// only the first to run installs it (the shim's engine mark).
//
// A worker whose script the helper answered has no server address: Chromium
// takes it for a public one, and its Local Network Access checks then refuse
// its WebSockets to loopback and private addresses. Where the script came
// from such an address, the helper grants the script's origin the
// `local-network-access` permission, which gives the worker back the access
// it had (see docs/automation.md).
import { lookup } from 'node:dns/promises';
import { BlockList } from 'node:net';
import { afterPrologue } from '../extension/background/directive-prologue';
import type { FrameLike } from './page-frames';
import { WorkerTargets, type TargetSessionLike } from './worker-targets';

/** The part of a Playwright `Request` the helper uses. */
export interface RequestLike {
  url(): string;
  method(): string;
  resourceType(): string;
  headers(): Record<string, string>;
  frame(): { page(): unknown };
}

/** The part of a Playwright `APIResponse` the helper uses. */
export interface FetchedLike {
  status(): number;
  headers(): Record<string, string>;
  body(): Promise<Buffer>;
}

/** The part of a Playwright `Route` the helper uses. */
export interface RouteLike {
  request(): RequestLike;
  fetch(options: { maxRedirects: number }): Promise<FetchedLike>;
  fulfill(options: { status: number; headers: Record<string, string>; body: Buffer }): Promise<void>;
  fallback(): Promise<void>;
}

/** Chromium's Network.requestWillBeSent, as far as the helper reads it. */
interface RequestWillBeSent {
  type?: string;
  loaderId: string;
  request: { url: string; method: string };
}

/** The part of a Playwright `CDPSession` the helper uses. */
export type CdpSessionLike = TargetSessionLike & {
  send(method: 'Network.enable', params: { maxTotalBufferSize: number; maxResourceBufferSize: number }): Promise<unknown>;
  on(event: 'Network.requestWillBeSent', listener: (event: RequestWillBeSent) => void): unknown;
};

type RouteHandler = (route: RouteLike) => Promise<void>;

/** The part of a Playwright `BrowserContext` the helper uses. */
export interface ContextLike {
  route(url: string, handler: RouteHandler): Promise<unknown>;
  unroute(url: string, handler: RouteHandler): Promise<unknown>;
  /** Called with the page itself (typed `never` so that Playwright's `Page | Frame` fits). */
  newCDPSession(page: never): Promise<CdpSessionLike>;
  grantPermissions(permissions: string[], options: { origin: string }): Promise<void>;
}

/** The part of a Playwright `Page` that worker capture uses. */
export interface WorkerPageLike {
  context(): ContextLike;
  workers(): (FrameLike & { url(): string })[];
  once(event: 'close', listener: () => void): unknown;
}

const EVERY_URL = '**/*';

/**
 * From now on, answers every script that `page`'s workers start with or
 * import with `shim` first (JavaScript on one line that installs itself once
 * per realm). The route is the context's, so that the page's own routes run
 * before it (see docs/automation.md). Resolves with what lists the page's
 * workers now: its dedicated workers, then its SharedWorkers, then its
 * service workers (whose shim goes in through CDP: see worker-targets.ts).
 */
export async function captureWorkers(page: WorkerPageLike, shim: Buffer): Promise<() => Promise<FrameLike[]>> {
  const context = page.context();
  const starts = new WorkerStarts();
  const cdp = await context.newCDPSession(page as never);
  cdp.on('Network.requestWillBeSent', (event) => starts.saw(event));
  // Only the requests' starts are read: no bodies kept for this session.
  await cdp.send('Network.enable', { maxTotalBufferSize: 0, maxResourceBufferSize: 0 });
  /** Scripts the page's workers run: a request with one of them as Referer is a worker's too. */
  const workerScripts = new Set<string>();
  const targets = new WorkerTargets(cdp, (url) => workerScripts.has(withoutHash(url)), shim.toString('utf8'));
  await targets.holdServiceWorkers();
  /** A worker's first script ('start'), one it imports ('import'), or none of a worker's (null). */
  const workersScript = async (request: RequestLike): Promise<'start' | 'import' | null> => {
    const type = request.resourceType();
    if (type !== 'script' && type !== 'other') return null;
    if (type === 'script') {
      if (starts.take(request)) return 'start';
      await nextTurn();
      if (starts.take(request)) return 'start';
    }
    const referer = request.headers()['referer'];
    if (referer === undefined) return null;
    const importer = withoutHash(referer);
    return workerScripts.has(importer) || page.workers().some((worker) => withoutHash(worker.url()) === importer) ? 'import' : null;
  };
  const localAccess = new LocalAccess(context);
  const handler: RouteHandler = async (route) => {
    const request = route.request();
    const script = ofPage(request, page) ? await workersScript(request) : null;
    if (script === null) return route.fallback();
    try {
      const response = await route.fetch({ maxRedirects: 0 });
      const status = response.status();
      const body = await response.body();
      // The body is decoded already, and may be longer.
      const { 'content-length': _length, 'content-encoding': _encoding, ...headers } = response.headers();
      // A redirect is the browser's to follow (the worker's URL is where it ends); an error is the page's to see.
      if (status < 200 || status >= 300) return await route.fulfill({ status, headers, body });
      const at = afterPrologue(body, true) ?? 0;
      workerScripts.add(withoutHash(request.url()));
      if (script === 'start') await localAccess.keep(request.url());
      await route.fulfill({ status, headers, body: Buffer.concat([body.subarray(0, at), shim, body.subarray(at)]) });
    } catch {
      // The page closed, or the fetch failed: the browser fetches the script itself (the worker then runs without Sockscope).
      await route.fallback().catch(() => undefined);
    }
  };
  await context.route(EVERY_URL, handler);
  page.once('close', () => void context.unroute(EVERY_URL, handler).catch(() => undefined));
  return async () => [...page.workers(), ...(await targets.all())];
}

/** Loopback, private and link-local addresses: Chromium's local network. */
const LOCAL_NETWORK = new BlockList();
for (const [net, prefix] of [['127.0.0.0', 8], ['10.0.0.0', 8], ['172.16.0.0', 12], ['192.168.0.0', 16], ['169.254.0.0', 16]] as const) LOCAL_NETWORK.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [['::1', 128], ['fc00::', 7], ['fe80::', 10]] as const) LOCAL_NETWORK.addSubnet(net, prefix, 'ipv6');

/** Grants Local Network Access to the origins of local worker scripts the helper answered, once each. */
class LocalAccess {
  private readonly granted = new Map<string, Promise<void>>();

  constructor(private readonly context: ContextLike) {}

  keep(url: string): Promise<void> {
    const { origin, hostname } = new URL(url);
    let grant = this.granted.get(origin);
    if (!grant) {
      grant = isLocal(hostname).then((local) => (local ? this.context.grantPermissions(['local-network-access'], { origin }) : undefined));
      this.granted.set(origin, grant);
    }
    return grant;
  }
}

/** Whether `hostname` is a loopback or private address, or a name for one (as Node resolves it). */
async function isLocal(hostname: string): Promise<boolean> {
  const address = await lookup(hostname.replace(/^\[|\]$/g, '')).catch(() => null);
  return address !== null && LOCAL_NETWORK.check(address.address, address.family === 6 ? 'ipv6' : 'ipv4');
}

/** Requests starting a worker that Chromium announced and the route has not yet met, by method and URL. */
class WorkerStarts {
  private readonly pending = new Map<string, number>();

  saw({ type, loaderId, request }: RequestWillBeSent): void {
    if (type !== 'Script' || loaderId !== '') return;
    const key = keyOf(request.method, request.url);
    this.pending.set(key, (this.pending.get(key) ?? 0) + 1);
  }

  take(request: RequestLike): boolean {
    const key = keyOf(request.method(), request.url());
    const count = this.pending.get(key);
    if (count === undefined) return false;
    if (count === 1) this.pending.delete(key);
    else this.pending.set(key, count - 1);
    return true;
  }
}

const keyOf = (method: string, url: string) => `${method} ${withoutHash(url)}`;
const withoutHash = (url: string) => url.split('#', 1)[0];

/** Whether `request` is one of `page`'s (a service worker's request has no frame). */
function ofPage(request: RequestLike, page: unknown): boolean {
  try {
    return request.frame().page() === page;
  } catch {
    return false;
  }
}

/** Lets the events already received be handled: Chromium announces a request before pausing it, on the same connection. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The text that goes first in a worker's script: `shim` (one line), with
 * `options`, installed only where no Sockscope engine is yet (each module of
 * a module worker carries a copy; `Symbol.for('sockscope.engine')` is the
 * mark shim/realm/mask.ts leaves on Function.prototype.toString).
 */
export function workerPrefix(shim: string, options: unknown): Buffer {
  const json = JSON.stringify(options).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  const text = `if(!Function.prototype.toString[Symbol.for("sockscope.engine")]){globalThis.sockscopeOptions=${json};${shim.trim()}}`;
  if (/[\r\n\u2028\u2029]/.test(text)) throw new Error("the worker shim must be one line: a line break would move the worker's own line numbers");
  return Buffer.from(text);
}
