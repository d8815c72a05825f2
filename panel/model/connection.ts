// The panel's line to the background. The MV3 service worker may be stopped at
// any moment, which disconnects the port: reconnect with a bounded backoff,
// attach to the tab again and subscribe with what the log already holds, so
// the shims replay exactly the messages the panel lacks.
import { dispatch, envelope, type ConsumerAction, type Handlers, type PanelCommand, type PanelCommands, type PanelEvents, type PanelRule } from '../../shim/wire/messages';
import { readPanelEvent } from '../../shim/wire/readers';
import { readBatch } from '../../shim/wire/records';
import type { LogStore } from './store';

/** The part of `Runtime.Port` the panel uses. */
export interface PanelPort {
  postMessage(message: PanelCommand): void;
  disconnect(): void;
  readonly onMessage: PortEvent<(message: unknown) => void>;
  readonly onDisconnect: PortEvent<() => void>;
}

interface PortEvent<T> {
  addListener(listener: T): void;
  removeListener(listener: T): void;
}

/**
 * `connecting`: first attempt; `live`: attached; `reconnecting`: the background went away;
 * `orphaned`: the extension was reloaded or removed, so this page can never reconnect.
 */
export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting' | 'orphaned';

export const RECONNECT_MS = { first: 50, max: 1_000 };

export interface ConnectOptions {
  tabId: number;
  store: LogStore;
  /** Opens a port to the background; throws once the extension context is gone. */
  openPort: () => PanelPort;
  onStatus: (status: ConnectionStatus) => void;
  /** The tab's shaping rules, as the background holds them (on every attach). */
  onRules?: (rules: PanelRule[]) => void;
  /** A shim refused the user's send, delivery or close. */
  onRefused?: (refusal: PanelEvents['refused']) => void;
  /** A document's messages held at breakpoints, whenever they change. */
  onHeld?: (held: PanelEvents['held']) => void;
}

/** The user's operations on one socket. */
export type TalkType = 'send' | 'inject' | 'close';

export interface PanelConnection {
  /** Sets the tab's shaping rules, all of them ([] for none). False while disconnected. */
  shape(rules: PanelRule[]): boolean;
  /** Drives the page as the consumer of one socket of one document. False while disconnected. */
  consumer(instance: string, socketId: number, action: ConsumerAction): boolean;
  /** Sends, delivers or closes on one socket of one document. False while disconnected. */
  talk<K extends TalkType>(type: K, fields: PanelCommands[K]): boolean;
  /** Lets a held message go, as it is, edited or dropped. False while disconnected. */
  release(fields: PanelCommands['release']): boolean;
  close(): void;
}

/** Connects now and keeps reconnecting until `close()`. */
export function connectPanel({ tabId, store, openPort, onStatus, onRules, onRefused, onHeld }: ConnectOptions): PanelConnection {
  let port: PanelPort | null = null;
  let delay = RECONNECT_MS.first;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const command = <K extends keyof PanelCommands & string>(type: K, fields: PanelCommands[K]) => envelope<PanelCommands, K>(type, fields);
  const subscribe = (to: PanelPort) => to.postMessage(command('subscribe', { since: store.since() }));
  const malformed = () => console.warn('[sockscope] discarded a malformed message from the page');

  const handlers: Handlers<PanelEvents> = {
    shape: ({ rules }) => onRules?.(rules),
    refused: (refusal) => onRefused?.(refusal),
    held: (held) => onHeld?.(held),
    handshake: ({ handshake }) => store.handshake(handshake),
    workers: ({ instance, frameId, workers, more }) => store.startedWorkers({ instance, frameId, workers, more }),
    hello(message) {
      delay = RECONNECT_MS.first;
      store.receive(message);
      // A shim (re)connected: a new document, or the bridge after a worker restart. Ask it for what we lack.
      if (port) subscribe(port);
    },
    batch({ instance, frameId, body }) {
      const batch = readBatch(body);
      if (!batch) return malformed();
      delay = RECONNECT_MS.first;
      store.receive({ type: 'batch', instance, frameId, ...batch });
    },
  };

  const onMessage = (data: unknown) => {
    if (!port) return;
    const message = readPanelEvent(data);
    if (message) dispatch(handlers, message);
    else malformed();
  };

  const detach = (): PanelPort | null => {
    const old = port;
    old?.onMessage.removeListener(onMessage);
    old?.onDisconnect.removeListener(onDisconnect);
    port = null;
    return old;
  };

  function onDisconnect(): void {
    detach();
    onStatus('reconnecting');
    timer = setTimeout(open, delay);
    delay = Math.min(delay * 2, RECONNECT_MS.max);
  }

  function open(): void {
    timer = undefined;
    try {
      port = openPort();
    } catch (error) {
      console.warn('[sockscope] cannot reach the extension', error);
      onStatus('orphaned');
      return;
    }
    port.onMessage.addListener(onMessage);
    port.onDisconnect.addListener(onDisconnect);
    try {
      port.postMessage(command('attach', { tabId }));
      subscribe(port);
    } catch (error) {
      // The worker went away between connect and post; onDisconnect may never fire for it.
      console.debug('[sockscope] port closed while attaching', error);
      onDisconnect();
      return;
    }
    onStatus('live');
  }

  const send = (command: PanelCommand): boolean => {
    if (!port) return false;
    try {
      port.postMessage(command);
      return true;
    } catch {
      return false;
    }
  };

  open();
  return {
    shape: (rules) => send(command('shape', { rules })),
    consumer: (instance, socketId, action) => send(command('consumer', { instance, socketId, action })),
    talk: (type, fields) => send(command(type, fields)),
    release: (fields) => send(command('release', fields)),
    close() {
      clearTimeout(timer);
      detach()?.disconnect();
    },
  };
}
