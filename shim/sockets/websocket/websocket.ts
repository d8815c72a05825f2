// Instruments the page's WebSocket. The page keeps getting real native sockets
// (the constructor is a Proxy whose construct trap builds the native object,
// and WebSocket.prototype stays the native prototype), so brand checks,
// `instanceof`, subclassing and trusted events behave as without the shim.
// The shim watches through capture listeners it adds before the page can add
// any, and through a wrapped `send`.
import type { Mask } from '../../realm/mask';
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
import type { SocketInfo } from '../../wire/records';
import { OPEN } from '../ready-state';
import type { Recorder } from '../../capture/recorder';
import { derive, replace, requestedProtocols } from '../../realm/replace';
import { ShapedWebSockets } from './shaped';
import { hasNoConversionHooks } from '../../realm/webidl';
import { nativeRefuses, sendable } from './send-data';
import type { StreamCarrier } from '../over-stream/over-stream';
import type { Shaping } from '../../shaping/shaping';
import { uncurry } from '../../realm/uncurry';

// Saved with the other natives, before page code runs (here: Node, which unit tests run in, has no CloseEvent).
export const closeEventCode = getter<number>(CloseEvent.prototype, 'code');
export const closeEventReason = getter<string>(CloseEvent.prototype, 'reason');
export const closeEventWasClean = getter<boolean>(CloseEvent.prototype, 'wasClean');

/** What the rest of the shim asks of the page's WebSockets, by socket id. */
export interface WebSocketControl {
  /** Closes the connection for an offline "drop" rule. */
  drop(socketId: number): void;
  /** `bufferedAmount` as the page reads it (0 once closed or unknown). */
  bufferedAmount(socketId: number): number;
}

/** Once `carrier` is enabled, the sockets the page constructs are carried over a WebSocketStream. */
export function instrumentWebSocket(
  global: typeof globalThis,
  recorder: Recorder,
  mask: Mask,
  shaping: Shaping,
  carrier: StreamCarrier | null,
): WebSocketControl {
  const Native = global.WebSocket;
  if (typeof Native !== 'function') return { drop: () => {}, bufferedAmount: () => 0 };
  const proto = Native.prototype;
  const readyState = getter<number>(proto, 'readyState');
  const nativeClose = uncurry(proto.close) as (ws: WebSocket, code?: number, reason?: string) => void;
  const shaped = new ShapedWebSockets(shaping, {
    readyState,
    bufferedAmount: getter<number>(proto, 'bufferedAmount'),
    send: uncurry(proto.send) as (ws: WebSocket, data: unknown) => void,
    close: nativeClose,
    closeEventCode,
    closeEventReason,
    closeEventWasClean,
  });
  const url = getter<string>(proto, 'url');
  const protocol = getter<string>(proto, 'protocol');
  const extensions = getter<string>(proto, 'extensions');

  const infos = new NativeWeakMap<WebSocket, SocketInfo>();
  const infoOf = (ws: unknown) => weakMapGet(infos, ws) as SocketInfo | undefined;

  function recordMessage(ws: WebSocket, event: Event): void {
    const info = infoOf(ws);
    if (info) recorder.payload(info, 'receive', messageEventData(event));
  }

  function recordLifecycle(ws: WebSocket, event: Event): void {
    const info = infoOf(ws);
    if (!info) return;
    switch (eventType(event)) {
      case 'open':
        return recorder.opened(info, protocol(ws), extensions(ws));
      case 'error':
        // Fired as the connection fails: the socket is CLOSED by then.
        return recorder.failed(info);
      case 'close':
        return recorder.closed(info, closeEventCode(event), closeEventReason(event), closeEventWasClean(event));
    }
  }

  /** Shaping may hold the event: the page gets a copy later. */
  function shape(ws: WebSocket, event: Event): void {
    const info = infoOf(ws);
    if (info) shaped.take(ws, info, event);
  }

  // One listener of each kind for every socket; `this` is the socket.
  // Events the page dispatches itself are not traffic.
  function onMessage(this: WebSocket, event: Event): void {
    if (!eventIsTrusted(event)) return;
    safely(recordMessage, this, event);
    if (shaping.active) safely(shape, this, event);
  }
  function onLifecycle(this: WebSocket, event: Event): void {
    if (!eventIsTrusted(event)) return;
    safely(recordLifecycle, this, event);
    const type = eventType(event);
    if (shaping.active && type !== 'open') safely(shape, this, event);
    else if (type === 'close') safely(forget, this);
  }

  /** A closed socket no rule can touch any more. */
  function forget(ws: WebSocket): void {
    const info = infoOf(ws);
    if (info) shaped.forget(info.id);
  }

  function track(ws: WebSocket, protocols: unknown): void {
    const info = recorder.openSocket({ kind: 'WebSocket', url: url(ws), protocols: requestedProtocols(protocols), frameUrl: global.location.href });
    weakMapSet(infos, ws, info);
    shaped.track(ws, info);
    addEventListener(ws, 'open', onLifecycle as EventListener, true);
    addEventListener(ws, 'message', onMessage as EventListener, true);
    addEventListener(ws, 'error', onLifecycle as EventListener, true);
    addEventListener(ws, 'close', onLifecycle as EventListener, true);
  }

  const Instrumented: typeof WebSocket = new Proxy(Native, {
    construct(target, args: unknown[], newTarget: Function) {
      // `new WebSocket()` passes the native constructor as new.target, as without the shim: the
      // instance gets the native initial map, not one derived through the Proxy. Subclasses keep theirs.
      const construction = newTarget === Instrumented ? target : newTarget;
      // With no URL, the native constructor throws, worded as native.
      if (carrier?.enabled && args.length > 0) return carrier.construct(args, construction);
      const ws = reflectConstruct(target, args, construction) as WebSocket;
      safely(track, ws, args[1]);
      return ws;
    },
  });

  const nativeSend = proto.send;
  const send = new Proxy(nativeSend, {
    apply(target, ws: unknown, args: unknown[]) {
      const info = infoOf(ws);
      if (!info || args.length === 0) return reflectApply(target, ws, args);
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
        const route = shaped.send(ws as WebSocket, info, value);
        if (route === 'held') safely(recordSend, info, value);
        if (route !== 'native') return undefined;
      }
      const wasOpen = readyState(ws as WebSocket) === OPEN;
      const result = reflectApply(target, ws, [value]);
      // The browser discards what is sent after close.
      if (wasOpen) safely(recordSend, info, value);
      return result;
    },
  });

  // Once shaping is first used, the page's view of a shaped socket is the shim's: close() may wait
  // behind held sends, readyState and bufferedAmount count what is held. Until then, no cost.
  shaping.onActive(() => {
    const close = new Proxy(proto.close, {
      apply(target, ws: unknown, args: unknown[]) {
        const info = infoOf(ws);
        return info && shaped.close(ws as WebSocket, info, args) ? undefined : reflectApply(target, ws, args);
      },
    });
    replace(proto, 'close', close, mask);
    derive(proto, 'readyState', mask, (ws, native) => shaped.readyState(ws as WebSocket, native() as number));
    derive(proto, 'bufferedAmount', mask, (ws, native) => shaped.bufferedAmount(ws as WebSocket, infoOf(ws), native() as number));
  });

  function recordSend(info: SocketInfo, value: unknown): void {
    recorder.sent(info, value);
  }

  replace(proto, 'send', send, mask);
  replace(proto, 'constructor', Instrumented, mask);
  replace(global, 'WebSocket', Instrumented, mask);
  return {
    drop(socketId) {
      shaped.drop(socketId);
      carrier?.drop(socketId);
    },
    bufferedAmount: (socketId) => carrier?.bufferedAmount(socketId) ?? shaped.bufferedAmountOf(socketId),
  };
}
