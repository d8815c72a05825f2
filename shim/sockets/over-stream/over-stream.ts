// The classic-over-stream mode (Chromium): the page's WebSocket carried by a
// native WebSocketStream, so that a slow consumer holds the server back over
// TCP as it would with a slow page, instead of messages waiting in the shim.
//
// The page's socket cannot be a native WebSocket (that would open a
// connection of its own): it is a native EventTarget whose prototype is the
// page's WebSocket.prototype, so `instanceof`, subclassing and listeners work
// as natively, and every WebSocket accessor and method on the prototype
// answers for it from the state kept here (carried-members.ts). Its events
// are dispatched by the shim, so their `isTrusted` is false: no script can
// make a trusted event.
//
// Chromium 156's WebSocketStream loses what was not yet read from it when the
// server's Close frame arrives: messages a held consumer has not taken by
// then are lost (docs/limits.md says so).
import {
  getter,
  iterable,
  NativeDOMException,
  NativeTypeError,
  reflectApply,
  reflectConstruct,
  stringSlice,
  withoutPrototype,
} from '../../realm/natives';
import { uncurry } from '../../realm/uncurry';
import { idlString } from '../../realm/webidl';
import type { SocketKit } from '../socket-kind';
import { answerForCarried, CarriedSockets } from './carried-members';
import { CarriedSocket, type CarrierNatives } from './carried-socket';
import type { WebSocketCloseInfo, WebSocketOpenInfo } from '../stream-info';

type NativeStream = new (url: string, options?: object) => object;

// Saved before page code runs.
const NativeEventTarget = EventTarget;
const domExceptionMessage = getter<string>(DOMException.prototype, 'message');
const domExceptionName = getter<string>(DOMException.prototype, 'name');
const iteratorSymbol: typeof Symbol.iterator = Symbol.iterator;
const CONSTRUCT = "Failed to construct 'WebSocket'";

/**
 * Saves the native WebSocketStream (call it before that is instrumented or
 * the page runs); null where the realm has none.
 */
export function prepareStreamCarrier(kit: SocketKit): StreamCarrier | null {
  const found = (kit.global as { WebSocketStream?: NativeStream }).WebSocketStream;
  if (typeof found !== 'function' || typeof kit.global.WebSocket !== 'function') return null;
  return new StreamCarrier(kit, found, kit.global.WebSocket.prototype);
}

export class StreamCarrier {
  /** Whether the WebSockets the page constructs from now on are carried. */
  enabled = false;
  private readonly natives: CarrierNatives;
  private readonly url: (stream: object) => string;
  private readonly carried = new CarriedSockets();

  constructor(
    private readonly kit: SocketKit,
    private readonly Stream: NativeStream,
    private readonly proto: WebSocket,
  ) {
    const streamProto = Stream.prototype as object;
    this.url = getter<string>(streamProto, 'url');
    this.natives = {
      kit,
      opened: getter<Promise<WebSocketOpenInfo>>(streamProto, 'opened'),
      closed: getter<Promise<WebSocketCloseInfo>>(streamProto, 'closed'),
      close: uncurry((streamProto as { close: (info?: object) => void }).close),
    };
  }

  /** Carries every WebSocket constructed from now on. */
  enable(): void {
    if (this.enabled) return;
    this.enabled = true;
    answerForCarried(this.proto, this.kit.mask, this.carried);
  }

  /** Constructs a carried socket (`args` has at least the URL), or throws as the native constructor would. */
  construct(args: unknown[], newTarget: Function): WebSocket {
    const url = idlString(args[0], CONSTRUCT);
    const protocols = args.length > 1 && args[1] !== undefined ? readProtocols(args[1]) : undefined;
    let stream: object;
    try {
      stream = new this.Stream(url, withoutPrototype(protocols === undefined ? {} : { protocols: iterable(protocols) }));
    } catch (error) {
      throw asWebSocketError(error);
    }
    const socket = reflectConstruct(NativeEventTarget, [], newTarget) as WebSocket;
    const href = this.url(stream);
    const { kit } = this;
    const info = kit.recorder.openSocket({ kind: 'WebSocket', url: href, protocols: protocols ?? [], ...kit.where(), overStream: true });
    const carried = new CarriedSocket(this.natives, socket, stream, href, info);
    this.carried.add(carried);
    kit.live.add(carried);
    kit.shaping.track({ id: info.id, url: href, events: true, connecting: () => info.readyState === 0 });
    return socket;
  }
}

/** The native stream's constructor errors, worded as the WebSocket constructor's. */
function asWebSocketError(error: unknown): unknown {
  let message: string;
  let name: string;
  try {
    message = domExceptionMessage(error);
    name = domExceptionName(error);
  } catch {
    return error;
  }
  const prefix = "Failed to construct 'WebSocketStream': ";
  if (stringSlice(message, 0, prefix.length) !== prefix) return error;
  return new NativeDOMException(`${CONSTRUCT}: ${stringSlice(message, prefix.length)}`, name);
}

/**
 * The constructor's `protocols` as WebIDL converts `(DOMString or
 * sequence<DOMString>)`: an object with an iterator is a sequence, read
 * through the page's iterator; anything else one string.
 */
function readProtocols(value: unknown): string[] {
  const list: string[] = [];
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) {
    list[0] = idlString(value, CONSTRUCT);
    return list;
  }
  const method = (value as { [Symbol.iterator]?: unknown })[iteratorSymbol];
  if (method === undefined || method === null) {
    list[0] = idlString(value, CONSTRUCT);
    return list;
  }
  if (typeof method !== 'function') throw new NativeTypeError(`${CONSTRUCT}: The provided value cannot be converted to a sequence.`);
  const iterator = reflectApply(method, value, []) as Iterator<unknown>;
  if ((typeof iterator !== 'object' && typeof iterator !== 'function') || iterator === null) {
    throw new NativeTypeError(`${CONSTRUCT}: The provided value cannot be converted to a sequence.`);
  }
  const next = iterator.next;
  for (;;) {
    const result = reflectApply(next, iterator, []) as IteratorResult<unknown>;
    if ((typeof result !== 'object' && typeof result !== 'function') || result === null) {
      throw new NativeTypeError(`${CONSTRUCT}: The provided value cannot be converted to a sequence.`);
    }
    if (result.done) return list;
    list[list.length] = idlString(result.value, CONSTRUCT);
  }
}
