// ISOLATED-world content script: the only way between a document's shims and
// the rest of the extension. It hands the document's shim a private
// MessagePort; the shims of the document's workers reach it through that
// shim (each with a port of its own, see shim/capture/worker-realms.ts). It
// checks and bounds everything a shim says (page code could forge it), and
// relays each realm over a runtime port of its own, reconnected whenever the
// background goes away. In Firefox, the top document's bridge also serves its
// origin's service worker when Capture workers is on for it, over the secret
// BroadcastChannel its engine opens (shim/capture/broadcast-channel.ts).
import browser, { type Runtime } from 'webextension-polyfill';
import { readContentCommand } from '../../shim/wire/readers';
import { LIMITS } from '../../shim/wire/records';
import { CAPTURE_WORKERS, HELLO_EVENT, PORT_CONTENT, REALM_PORT, SERVICE_WORKER_CHANNEL_KEY } from '../../shim/wire/names';
import type { ToServiceWorker } from '../../shim/wire/messages';
import { RealmLink } from '../realm-link';

/** Offers to the shim: the MAIN-world script normally runs first and answers the first. */
const OFFER_DELAYS_MS = [0, 10, 50, 100, 250, 500, 1000, 2000];
const RECONNECT_DELAY_MS = 50;
/** Worker realms relayed for one document; a page starting more has the rest go unseen. */
const MAX_REALMS = 256;
/** A farewell batch's JSON: its body, itself JSON, escaped once more (each character at most twice). */
const MAX_FAREWELL_CHARS = 2 * LIMITS.batchBody + 1_024;

/** One realm's shim (the document's, or a worker's) and its way to the background. */
interface Link {
  shim: MessagePort;
  realm: RealmLink;
  background: Runtime.Port | null;
  /** Its realm went away for good: no reconnecting. */
  closed: boolean;
}

/** Every port offered to the document's shim so far: it may answer any of them, later than the next offer. */
const offers: MessagePort[] = [];
let documentLinked = false;
let realms = 0;
/** The links that have a way to the background, or are owed one: a page restored from the back/forward cache connects each again. */
const connected = new Set<Link>();

function offerChannel(attempt: number): void {
  if (documentLinked || attempt >= OFFER_DELAYS_MS.length) return;
  const channel = new MessageChannel();
  listen(channel.port1, true);
  offers.push(channel.port1);
  dispatchEvent(new MessageEvent(HELLO_EVENT, { ports: [channel.port2] }));
  setTimeout(() => offerChannel(attempt + 1), OFFER_DELAYS_MS[attempt]);
}

/** Serves a realm's port; the document's shim answers one of the offers, which are closed then. */
function listen(port: MessagePort, offered: boolean): Link {
  const link: Link = { shim: port, realm: new RealmLink((command) => port.postMessage(command)), background: null, closed: false };
  port.onmessage = (event) => {
    // A realm's shim hands on its workers' ports. Bounded: a page may start any number of workers.
    if (event.data === REALM_PORT && event.ports.length === 1 && link.realm.hello && realms < MAX_REALMS) {
      realms++;
      listen(event.ports[0], false);
      return;
    }
    onShimEvent(link, event.data, offered);
  };
  return link;
}

function onShimEvent(link: Link, data: unknown, offered: boolean): void {
  // An offer the document's shim did not take stays silent.
  if (offered && documentLinked && !link.realm.hello) return;
  const message = link.realm.fromShim(data);
  if (!message) return;
  if (message.type !== 'hello') return link.background?.postMessage(message);
  if (offered) {
    documentLinked = true;
    for (const offer of offers) if (offer !== link.shim) offer.close();
    offers.length = 0;
    hearFarewell(link, message.farewell);
  }
  connect(link);
}

/**
 * The document's shim sends its last batches as the document goes away, when its port's messages
 * would never be delivered: as synchronous events on the window, of a type only this bridge knows.
 * Nothing after this listener hears them.
 */
function hearFarewell(link: Link, type: string): void {
  addEventListener(
    type,
    (event) => {
      event.stopImmediatePropagation();
      const detail: unknown = (event as CustomEvent).detail;
      if (typeof detail !== 'string' || detail.length > MAX_FAREWELL_CHARS) return;
      let data: unknown;
      try {
        data = JSON.parse(detail);
      } catch {
        return;
      }
      onShimEvent(link, data, true);
    },
    true,
  );
}

function connect(link: Link): void {
  if (link.closed) return;
  let port: Runtime.Port;
  try {
    port = browser.runtime.connect({ name: PORT_CONTENT });
  } catch {
    // The extension was reloaded or removed: this script is orphaned for good.
    link.realm.unsubscribe();
    return;
  }
  link.background = port;
  connected.add(link);
  port.onMessage.addListener((data: unknown) => {
    const command = readContentCommand(data);
    if (command) link.realm.command(command);
  });
  port.onDisconnect.addListener(() => {
    // A port the link no longer uses (replaced when the page came back from the cache).
    if (link.background !== port) return;
    // The MV3 worker was stopped: stop the shim's live batches, reconnect; the
    // panel re-subscribes and the shim replays whatever the panel lacks from its history.
    link.background = null;
    link.realm.unsubscribe();
    setTimeout(() => link.background === null && connect(link), RECONNECT_DELAY_MS);
  });
  port.postMessage(link.realm.hello);
}

/**
 * The origin's service worker, as one more realm of this document: each time
 * its engine starts (the worker restarted), a new client and a new link. Only
 * the top document's bridge does this, so that a tab shows it once.
 */
async function serveServiceWorker(): Promise<void> {
  const stored = await browser.storage.local.get([CAPTURE_WORKERS, SERVICE_WORKER_CHANNEL_KEY]);
  const name: unknown = stored[SERVICE_WORKER_CHANNEL_KEY];
  const origins: unknown = stored[CAPTURE_WORKERS];
  if (typeof name !== 'string' || !Array.isArray(origins) || !origins.includes(location.origin)) return;
  const channel = new BroadcastChannel(name);
  const say = (message: ToServiceWorker) => channel.postMessage(message);
  let current: { client: string; pipe: MessageChannel; link: Link } | null = null;
  const open = () => {
    if (current) close(current.link);
    current = null;
    if (realms >= MAX_REALMS) return;
    realms++;
    const pipe = new MessageChannel();
    const client = crypto.randomUUID();
    pipe.port2.onmessage = (event) => say({ client, command: event.data });
    current = { client, pipe, link: listen(pipe.port1, false) };
    say({ client, open: true });
  };
  channel.onmessage = ({ data }: MessageEvent) => {
    if (typeof data !== 'object' || data === null) return;
    if (data.started === true) open();
    else if (current && data.client === current.client) current.pipe.port2.postMessage(data.message);
  };
  // The worker may be running already: it answers a client opened now; one that starts later says so, and is opened then.
  open();
}

/** A link whose realm went away (its service worker restarted): nothing more comes or goes. */
function close(link: Link): void {
  link.shim.close();
  link.closed = true;
  connected.delete(link);
  const port = link.background;
  link.background = null;
  port?.disconnect();
}

/**
 * Chromium closes an extension's ports when their page enters the back/forward
 * cache, and tells this side nothing: a page restored from it connects each of
 * its realms again (the panel then re-subscribes, as after a worker restart).
 */
function reconnectAll(event: PageTransitionEvent): void {
  if (!event.isTrusted || !event.persisted) return;
  for (const link of connected) {
    const stale = link.background;
    link.background = null;
    link.realm.unsubscribe();
    try {
      stale?.disconnect();
    } catch {
      // Gone already.
    }
    connect(link);
  }
}

addEventListener('pageshow', reconnectAll);
offerChannel(0);
if (window === window.top) void serveServiceWorker().catch((error: unknown) => console.warn('[sockscope]', error));
