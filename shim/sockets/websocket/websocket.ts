// Instruments the page's WebSocket. The page keeps getting real native sockets
// (the constructor is a Proxy whose construct trap builds the native object,
// and WebSocket.prototype stays the native prototype), so brand checks,
// `instanceof`, subclassing and trusted events behave as without the shim.
// The shim watches through capture listeners it adds before the page can add
// any, and through a wrapped `send`.
import {
  addEventListener,
  eventIsTrusted,
  eventType,
  getter,
  messageEventData,
  NativeWeakMap,
  reflectApply,
  reflectConstruct,
  safely,
  weakMapGet,
  weakMapSet,
} from '../../realm/natives';
import { derive, replace, requestedProtocols } from '../../realm/replace';
import { uncurry } from '../../realm/uncurry';
import { hasNoConversionHooks } from '../../realm/webidl';
import { OPEN } from '../connection-state';
import type { StreamCarrier } from '../over-stream/over-stream';
import { recordSent, type SocketKit } from '../socket-kind';
import { closeEventCode, closeEventReason, closeEventWasClean } from './events';
import { nativeRefuses, sendable } from './send-data';
import { WatchedWebSocket, type WebSocketNatives } from './watched';

type WatchedOf = (ws: unknown) => WatchedWebSocket | undefined;

/** Once `carrier` is enabled, the sockets the page constructs are carried over a WebSocketStream. */
export function instrumentWebSocket(kit: SocketKit, carrier: StreamCarrier | null): void {
  const Native = kit.global.WebSocket;
  if (typeof Native !== 'function') return;
  const proto = Native.prototype;
  const natives: WebSocketNatives = {
    kit,
    readyState: getter<number>(proto, 'readyState'),
    bufferedAmount: getter<number>(proto, 'bufferedAmount'),
    binaryType: getter<BinaryType>(proto, 'binaryType'),
    send: uncurry(proto.send) as (ws: WebSocket, data: unknown) => void,
    close: uncurry(proto.close) as (ws: WebSocket, code?: number, reason?: string) => void,
  };
  const sockets = new NativeWeakMap<WebSocket, WatchedWebSocket>();
  const watchedOf: WatchedOf = (ws) => weakMapGet(sockets, ws) as WatchedWebSocket | undefined;
  const watch = watcher(natives, proto, watchedOf);

  const Instrumented: typeof WebSocket = new Proxy(Native, {
    construct(target, args: unknown[], newTarget: Function) {
      // `new WebSocket()` passes the native constructor as new.target, as without the shim: the
      // instance gets the native initial map, not one derived through the Proxy. Subclasses keep theirs.
      const construction = newTarget === Instrumented ? target : newTarget;
      // With no URL, the native constructor throws, worded as native.
      if (carrier?.enabled && args.length > 0) return carrier.construct(args, construction);
      const ws = reflectConstruct(target, args, construction) as WebSocket;
      safely((socket: WebSocket) => weakMapSet(sockets, socket, watch(socket, args[1])), ws);
      return ws;
    },
  });

  replace(proto, 'send', instrumentedSend(natives, proto.send, watchedOf), kit.mask);
  // Once shaping is first used, the page's view of a shaped socket is the shim's: close() may wait
  // behind held sends, readyState and bufferedAmount count what is held. Until then, no cost.
  kit.shaping.onActive(() => {
    const close = new Proxy(proto.close, {
      apply(target, ws: unknown, args: unknown[]) {
        return watchedOf(ws)?.close(args) ? undefined : reflectApply(target, ws, args);
      },
    });
    replace(proto, 'close', close, kit.mask);
    derive(proto, 'readyState', kit.mask, (ws, native) => {
      const watched = watchedOf(ws);
      return watched ? watched.readyState(native() as number) : native();
    });
    derive(proto, 'bufferedAmount', kit.mask, (ws, native) => {
      const watched = watchedOf(ws);
      return watched ? watched.pageBufferedAmount(native() as number) : native();
    });
  });
  replace(proto, 'constructor', Instrumented, kit.mask);
  replace(kit.global, 'WebSocket', Instrumented, kit.mask);
}

/** Records a new native socket and listens to it: one listener of each kind serves every socket (`this` is the socket). */
function watcher(natives: WebSocketNatives, proto: WebSocket, watchedOf: WatchedOf): (ws: WebSocket, protocols: unknown) => WatchedWebSocket {
  const { kit } = natives;
  const { recorder, shaping } = kit;
  const url = getter<string>(proto, 'url');
  const protocol = getter<string>(proto, 'protocol');
  const extensions = getter<string>(proto, 'extensions');

  const recordMessage = (watched: WatchedWebSocket, event: Event) => recorder.payload(watched.info, 'receive', messageEventData(event));
  const take = (watched: WatchedWebSocket, event: Event) => void watched.take(event);
  const forget = (watched: WatchedWebSocket) => watched.forget();
  function recordLifecycle(watched: WatchedWebSocket, event: Event): void {
    switch (eventType(event)) {
      case 'open':
        return recorder.opened(watched.info, protocol(watched.ws), extensions(watched.ws));
      case 'error':
        // Fired as the connection fails: the socket is CLOSED by then.
        return recorder.failed(watched.info);
      case 'close':
        return recorder.closed(watched.info, closeEventCode(event), closeEventReason(event), closeEventWasClean(event));
    }
  }

  // Events the page dispatches itself are not traffic. Shaping may take an event: the page gets a copy later.
  function onMessage(this: WebSocket, event: Event): void {
    const watched = watchedOf(this);
    if (!watched || !eventIsTrusted(event)) return;
    // Once shaping is in use, `take` records the message too: as it arrives, or as it leaves an intercept gate.
    if (shaping.active) safely(take, watched, event);
    else safely(recordMessage, watched, event);
  }
  function onLifecycle(this: WebSocket, event: Event): void {
    const watched = watchedOf(this);
    if (!watched || !eventIsTrusted(event)) return;
    // Dropped or closed as by its server: the shim told the page and the record of the end; this is not the page's.
    if (watched.detached) return safely(take, watched, event);
    safely(recordLifecycle, watched, event);
    const type = eventType(event);
    if (shaping.active && type !== 'open') safely(take, watched, event);
    else if (type === 'close') safely(forget, watched);
  }

  return (ws, protocols) => {
    const info = recorder.openSocket({ kind: 'WebSocket', url: url(ws), protocols: requestedProtocols(protocols), ...kit.where() });
    const watched = new WatchedWebSocket(natives, ws, info);
    kit.live.add(watched);
    shaping.track({ id: info.id, url: info.url, events: true, connecting: () => info.readyState === 0 });
    addEventListener(ws, 'open', onLifecycle as EventListener, true);
    addEventListener(ws, 'message', onMessage as EventListener, true);
    addEventListener(ws, 'error', onLifecycle as EventListener, true);
    addEventListener(ws, 'close', onLifecycle as EventListener, true);
    return watched;
  };
}

/** `send`, recorded, and held or discarded as shaping says. */
function instrumentedSend(natives: WebSocketNatives, nativeSend: WebSocket['send'], watchedOf: WatchedOf): WebSocket['send'] {
  const { shaping } = natives.kit;
  return new Proxy(nativeSend, {
    apply(target, ws: unknown, args: unknown[]) {
      const watched = watchedOf(ws);
      if (!watched || args.length === 0) return reflectApply(target, ws, args);
      const data = args[0];
      let value: unknown;
      try {
        value = sendable(data);
      } catch (error) {
        // No page code ran: let the native method fail, worded as native (Blink prefixes its messages).
        if (typeof data === 'object' && data !== null && hasNoConversionHooks(data)) return reflectApply(target, ws, args);
        throw error;
      }
      // Data the native method refuses goes to it, to throw as native: a shaped link must not take it.
      if (shaping.active && !nativeRefuses(value)) {
        const route = watched.send(value);
        if (route === 'held') safely(recordSent, watched, value);
        if (route !== 'native') return undefined;
      }
      const wasOpen = natives.readyState(ws as WebSocket) === OPEN;
      const result = reflectApply(target, ws, [value]);
      // The browser discards what is sent after close.
      if (wasOpen) safely(recordSent, watched, value);
      return result;
    },
  });
}
