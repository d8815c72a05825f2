// WebSocketStream and WebSocketError for browsers that lack them (Firefox),
// built on the native WebSocket, behaving as Chromium's native ones do (the
// cross-browser conformance suite compares them), and recorded like every
// other socket. Backpressure (connection.ts):
//   - sending is real: a write completes only once the socket's
//     `bufferedAmount` is at most a limit, so `writer.ready` and
//     `desiredSize` follow the network;
//   - receiving is simulated: a WebSocket cannot stop reading, so messages
//     the page has not pulled wait in this shim's queue (the stream's own
//     queue stays empty: its high-water mark is 0). The socket record says so.
import { readCloseInfo } from '../close-info';
import { nativeSourceText, type Mask } from '../../realm/mask';
import { defineProperty, getOwnPropertyDescriptor, getter, NativeTypeError, noop, promiseReject, setter, toWellFormed } from '../../realm/natives';
import { uncurry } from '../../realm/uncurry';
import type { SocketKit } from '../socket-kind';
import type { WebSocketCloseInfo, WebSocketOpenInfo } from '../stream-info';
import { Connection, type ProvidedNatives } from './connection';
import { WebSocketError } from './websocket-error';

/**
 * Builds the two interfaces on the native WebSocket as it is now (call it
 * before that is instrumented or the page runs); `provide` defines them on
 * the realm's global, once, where it has no WebSocketStream of its own.
 */
export function prepareWebSocketStream(kit: SocketKit): { provide(): void } {
  const { global } = kit;
  const NativeWebSocket = global.WebSocket;
  if ('WebSocketStream' in global || typeof NativeWebSocket !== 'function') return { provide: noop };
  const ws = NativeWebSocket.prototype;
  const natives: ProvidedNatives = {
    kit,
    WebSocket: NativeWebSocket,
    url: getter<string>(ws, 'url'),
    readyState: getter<number>(ws, 'readyState'),
    bufferedAmount: getter<number>(ws, 'bufferedAmount'),
    protocol: getter<string>(ws, 'protocol'),
    extensions: getter<string>(ws, 'extensions'),
    setBinaryType: setter<BinaryType>(ws, 'binaryType'),
    send: uncurry(ws.send) as (socket: WebSocket, data: unknown) => void,
    close: uncurry(ws.close) as (socket: WebSocket, code?: number, reason?: string) => void,
  };
  const WebSocketStream = webSocketStreamClass(natives);
  const define = interfaceDefiner(global, kit.mask, NativeWebSocket);
  let defined = false;
  return {
    provide: () => {
      if (defined || 'WebSocketStream' in global) return;
      defined = true;
      define(WebSocketError, 'WebSocketError');
      define(WebSocketStream, 'WebSocketStream');
    },
  };
}

const signalAborted = getter<boolean>(AbortSignal.prototype, 'aborted');

function webSocketStreamClass(natives: ProvidedNatives): Function {
  return class WebSocketStream {
    #connection: Connection;

    constructor(url: unknown, options: unknown = undefined) {
      if (arguments.length < 1) throw new NativeTypeError('WebSocketStream constructor: At least 1 argument required, but only 0 passed');
      const text = `${url as string}`;
      const { protocols, signal } = readOptions(options);
      this.#connection = new Connection(natives, text, protocols, signal, signal !== undefined && signalAborted(signal));
    }

    get url(): string {
      return this.#connection.url;
    }

    get opened(): Promise<WebSocketOpenInfo> {
      return #connection in this ? this.#connection.opened : promiseReject(illegalInvocation('opened'));
    }

    get closed(): Promise<WebSocketCloseInfo> {
      return #connection in this ? this.#connection.closed : promiseReject(illegalInvocation('closed'));
    }

    close(closeInfo: unknown = undefined): void {
      const connection = this.#connection;
      connection.closeWith(undefined, readCloseInfo(closeInfo, 'WebSocketStream.close'));
    }
  };
}

function illegalInvocation(member: string): TypeError {
  return new NativeTypeError(`'get ${member}' called on an object that does not implement interface WebSocketStream.`);
}

/** WebSocketStreamOptions: `protocols` (a sequence of USVStrings), then `signal` (an AbortSignal). */
function readOptions(options: unknown): { protocols: string[] | undefined; signal: AbortSignal | undefined } {
  if (options === undefined || options === null) return { protocols: undefined, signal: undefined };
  if (typeof options !== 'object' && typeof options !== 'function') {
    throw new NativeTypeError("WebSocketStream constructor: Value can't be converted to a dictionary.");
  }
  const rawProtocols = (options as { protocols?: unknown }).protocols;
  let protocols: string[] | undefined;
  if (rawProtocols !== undefined) {
    if (typeof rawProtocols !== 'object' || rawProtocols === null) {
      throw new NativeTypeError("WebSocketStream constructor: 'protocols' member of WebSocketStreamOptions can't be converted to a sequence.");
    }
    protocols = [];
    // The page's iterator, as WebIDL sequence conversion uses it.
    for (const protocol of rawProtocols as Iterable<unknown>) protocols[protocols.length] = toWellFormed(`${protocol as string}`);
  }
  const rawSignal = (options as { signal?: unknown }).signal;
  if (rawSignal !== undefined && !isAbortSignal(rawSignal)) {
    throw new NativeTypeError("WebSocketStream constructor: 'signal' member of WebSocketStreamOptions does not implement interface AbortSignal.");
  }
  return { protocols, signal: rawSignal as AbortSignal | undefined };
}

function isAbortSignal(value: unknown): boolean {
  try {
    signalAborted(value);
    return true;
  } catch {
    return false;
  }
}

/**
 * Gives a class the shape of a WebIDL interface: enumerable members, a
 * toStringTag, a global, and source text as this engine shows its own
 * functions, made from the native WebSocket's as they are now.
 */
function interfaceDefiner(global: typeof globalThis, mask: Mask, NativeWebSocket: typeof WebSocket): (constructor: Function, name: string) => void {
  const ws = NativeWebSocket.prototype;
  const urlGetter = getOwnPropertyDescriptor(ws, 'url')?.get as Function;
  const close = ws.close;
  const sourceText = (member: Function, kind: 'constructor' | 'getter' | 'method', name: string): void =>
    mask(
      member,
      kind === 'constructor'
        ? nativeSourceText(NativeWebSocket, 'WebSocket', name)
        : kind === 'getter'
          ? nativeSourceText(urlGetter, 'url', name)
          : nativeSourceText(close, 'close', name),
    );
  return (constructor, name) => {
    const proto = constructor.prototype as object;
    sourceText(constructor, 'constructor', name);
    const keys = Reflect.ownKeys(proto);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      if (key === 'constructor' || typeof key !== 'string') continue;
      const descriptor = getOwnPropertyDescriptor(proto, key) as PropertyDescriptor;
      if (descriptor.get) sourceText(descriptor.get, 'getter', key);
      if (typeof descriptor.value === 'function') sourceText(descriptor.value as Function, 'method', key);
      defineProperty(proto, key, { ...descriptor, enumerable: true });
    }
    defineProperty(proto, Symbol.toStringTag, { value: name, writable: false, enumerable: false, configurable: true });
    defineProperty(global, name, { value: constructor, writable: true, enumerable: false, configurable: true });
  };
}
