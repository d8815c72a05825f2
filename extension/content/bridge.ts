// ISOLATED-world content script: the only way between a document's shim and
// the rest of the extension. It hands the shim a private MessagePort, checks
// and bounds everything the shim says (page code could forge it), and relays
// over a runtime port that it reconnects whenever the background goes away.
import browser, { type Runtime } from 'webextension-polyfill';
import { dispatch, envelope, type ContentCommands, type Handlers, type ShimCommand, type ShimCommands, type ShimEvent } from '../../shim/wire/messages';
import { isSocketCommand, readContentCommand, readShimEvent } from '../../shim/wire/readers';
import { HELLO_EVENT, PORT_CONTENT } from '../../shim/wire/names';

/** Offers to the shim: the MAIN-world script normally runs first and answers the first. */
const OFFER_DELAYS_MS = [0, 10, 50, 100, 250, 500, 1000, 2000];
const RECONNECT_DELAY_MS = 50;

let shim: MessagePort | null = null;
/** Every port offered so far: the shim may answer any of them, later than the next offer. */
const offers: MessagePort[] = [];
let hello: ShimEvent | null = null;
let background: Runtime.Port | null = null;

function toShim(command: ShimCommand): void {
  shim?.postMessage(command);
}

const unsubscribe = () => toShim(envelope<ShimCommands, 'unsubscribe'>('unsubscribe', {}));

/** What the background asks: the panel's seq marks become this shim's own; the rest goes to the shim as it is. */
const fromBackground: Handlers<Pick<ContentCommands, 'subscribe' | 'unsubscribe'>> = {
  subscribe({ since }) {
    const mark = hello ? since[hello.instance] : undefined;
    toShim(envelope<ShimCommands, 'subscribe'>('subscribe', { since: mark ?? 0 }));
  },
  unsubscribe,
};

function offerChannel(attempt: number): void {
  if (shim || attempt >= OFFER_DELAYS_MS.length) return;
  const channel = new MessageChannel();
  channel.port1.onmessage = (event) => onShimEvent(channel.port1, event.data);
  offers.push(channel.port1);
  dispatchEvent(new MessageEvent(HELLO_EVENT, { ports: [channel.port2] }));
  setTimeout(() => offerChannel(attempt + 1), OFFER_DELAYS_MS[attempt]);
}

function onShimEvent(port: MessagePort, data: unknown): void {
  const message = readShimEvent(data);
  if (!message) return;
  if (message.type === 'hello') {
    if (shim) return;
    shim = port;
    hello = message;
    for (const offer of offers) if (offer !== port) offer.close();
    offers.length = 0;
    connect();
    return;
  }
  if (port === shim && message.instance === hello?.instance) background?.postMessage(message);
}

function connect(): void {
  let port: Runtime.Port;
  try {
    port = browser.runtime.connect({ name: PORT_CONTENT });
  } catch {
    // The extension was reloaded or removed: this script is orphaned for good.
    unsubscribe();
    return;
  }
  background = port;
  port.onMessage.addListener((data: unknown) => {
    const command = readContentCommand(data);
    if (!command) return;
    if (isSocketCommand(command)) toShim(command);
    else dispatch(fromBackground, command);
  });
  port.onDisconnect.addListener(() => {
    // The MV3 worker was stopped (or the page went into the back/forward cache):
    // stop the shim's live batches, reconnect; the panel re-subscribes and the
    // shim replays whatever the panel lacks from its history.
    background = null;
    unsubscribe();
    setTimeout(connect, RECONNECT_DELAY_MS);
  });
  port.postMessage(hello);
}

offerChannel(0);
