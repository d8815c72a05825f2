// ISOLATED-world content script: the only way between a document's shims and
// the rest of the extension. It hands the document's shim a private
// MessagePort; the shims of the document's workers reach it through that
// shim (each with a port of its own, see shim/capture/worker-realms.ts). It
// checks and bounds everything a shim says (page code could forge it), and
// relays each realm over a runtime port of its own, reconnected whenever the
// background goes away.
import browser, { type Runtime } from 'webextension-polyfill';
import { dispatch, envelope, type ContentCommands, type Handlers, type ShimCommand, type ShimCommands, type ShimEvent } from '../../shim/wire/messages';
import { isSocketCommand, readContentCommand, readShimEvent } from '../../shim/wire/readers';
import { HELLO_EVENT, PORT_CONTENT, REALM_PORT } from '../../shim/wire/names';

/** Offers to the shim: the MAIN-world script normally runs first and answers the first. */
const OFFER_DELAYS_MS = [0, 10, 50, 100, 250, 500, 1000, 2000];
const RECONNECT_DELAY_MS = 50;
/** Worker realms relayed for one document; a page starting more has the rest go unseen. */
const MAX_REALMS = 256;

/** One realm's shim (the document's, or a worker's) and its way to the background. */
interface Link {
  shim: MessagePort;
  hello: ShimEvent | null;
  background: Runtime.Port | null;
}

/** Every port offered to the document's shim so far: it may answer any of them, later than the next offer. */
const offers: MessagePort[] = [];
let documentLinked = false;
let realms = 0;

const toShim = (link: Link, command: ShimCommand) => link.shim.postMessage(command);
const unsubscribe = (link: Link) => toShim(link, envelope<ShimCommands, 'unsubscribe'>('unsubscribe', {}));

/** What the background asks: the panel's seq marks become this shim's own; the rest goes to the shim as it is. */
const fromBackground = (link: Link): Handlers<Pick<ContentCommands, 'subscribe' | 'unsubscribe'>> => ({
  subscribe({ since }) {
    const mark = link.hello ? since[link.hello.instance] : undefined;
    toShim(link, envelope<ShimCommands, 'subscribe'>('subscribe', { since: mark ?? 0 }));
  },
  unsubscribe: () => unsubscribe(link),
});

function offerChannel(attempt: number): void {
  if (documentLinked || attempt >= OFFER_DELAYS_MS.length) return;
  const channel = new MessageChannel();
  listen(channel.port1, true);
  offers.push(channel.port1);
  dispatchEvent(new MessageEvent(HELLO_EVENT, { ports: [channel.port2] }));
  setTimeout(() => offerChannel(attempt + 1), OFFER_DELAYS_MS[attempt]);
}

/** Serves a realm's port; the document's shim answers one of the offers, which are closed then. */
function listen(port: MessagePort, offered: boolean): void {
  const link: Link = { shim: port, hello: null, background: null };
  port.onmessage = (event) => {
    // A realm's shim hands on its workers' ports. Bounded: a page may start any number of workers.
    if (event.data === REALM_PORT && event.ports.length === 1 && link.hello && realms < MAX_REALMS) {
      realms++;
      listen(event.ports[0], false);
      return;
    }
    onShimEvent(link, event.data, offered);
  };
}

function onShimEvent(link: Link, data: unknown, offered: boolean): void {
  const message = readShimEvent(data);
  if (!message) return;
  if (message.type === 'hello') {
    if (link.hello || (offered && documentLinked)) return;
    link.hello = message;
    if (offered) {
      documentLinked = true;
      for (const offer of offers) if (offer !== link.shim) offer.close();
      offers.length = 0;
    }
    connect(link);
    return;
  }
  if (message.instance === link.hello?.instance) link.background?.postMessage(message);
}

function connect(link: Link): void {
  let port: Runtime.Port;
  try {
    port = browser.runtime.connect({ name: PORT_CONTENT });
  } catch {
    // The extension was reloaded or removed: this script is orphaned for good.
    unsubscribe(link);
    return;
  }
  link.background = port;
  const commands = fromBackground(link);
  port.onMessage.addListener((data: unknown) => {
    const command = readContentCommand(data);
    if (!command) return;
    if (isSocketCommand(command)) toShim(link, command);
    else dispatch(commands, command);
  });
  port.onDisconnect.addListener(() => {
    // The MV3 worker was stopped (or the page went into the back/forward cache):
    // stop the shim's live batches, reconnect; the panel re-subscribes and the
    // shim replays whatever the panel lacks from its history.
    link.background = null;
    unsubscribe(link);
    setTimeout(() => connect(link), RECONNECT_DELAY_MS);
  });
  port.postMessage(link.hello);
}

offerChannel(0);
