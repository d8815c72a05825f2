// The events a WebSocket fires, made and read through built-ins saved before
// page code runs, for the kinds that fire them in the native socket's place.
// Events the shim dispatches are untrusted (`isTrusted` is false): no script
// can make a trusted one.
import { eventType, getter, messageEventData, setTimeout, withoutPrototype } from '../../realm/natives';
import { uncurry } from '../../realm/uncurry';
import { ABNORMAL_CLOSURE } from '../connection-state';

const NativeEvent = Event;
const NativeMessageEvent = MessageEvent;
const NativeCloseEvent = CloseEvent;
const dispatchEvent = uncurry(EventTarget.prototype.dispatchEvent) as (target: EventTarget, event: Event) => boolean;
const messageEventOrigin = getter<string>(MessageEvent.prototype, 'origin');
const messageEventLastEventId = getter<string>(MessageEvent.prototype, 'lastEventId');
export const closeEventCode = getter<number>(CloseEvent.prototype, 'code');
export const closeEventReason = getter<string>(CloseEvent.prototype, 'reason');
export const closeEventWasClean = getter<boolean>(CloseEvent.prototype, 'wasClean');

/** Fires a plain event (`open`, `error`). */
export function fire(target: EventTarget, type: string): void {
  dispatchEvent(target, new NativeEvent(type));
}

const NativeURL = URL;
const urlOrigin = getter<string>(URL.prototype, 'origin');

/** A message event's `origin` for a socket's URL: the URL's origin, serialized. */
export const messageOrigin = (url: string): string => urlOrigin(new NativeURL(url));

export function fireMessage(target: EventTarget, data: unknown, origin: string): void {
  dispatchEvent(target, new NativeMessageEvent('message', withoutPrototype({ data, origin })));
}

export function fireClose(target: EventTarget, code: number, reason: string, wasClean: boolean): void {
  dispatchEvent(target, new NativeCloseEvent('close', withoutPrototype({ code, reason, wasClean })));
}

/** A server's clean close's code and reason. */
export interface CleanClose {
  code: number;
  reason: string;
}

/**
 * A connection's end, as the browser reports it, in a task of its own (which
 * `first` begins): a server's clean close with its code and reason, or (null)
 * a lost connection: `error`, then an abnormal close.
 */
export function fireEnd(target: EventTarget, clean: CleanClose | null, first: () => void): void {
  setTimeout(() => {
    first();
    if (clean) return fireClose(target, clean.code, clean.reason, true);
    fire(target, 'error');
    fireClose(target, ABNORMAL_CLOSURE, '', false);
  }, 0);
}

/** An untrusted copy of a native message, error or close event, with the same fields, to dispatch later. */
export function copyOf(event: Event): Event {
  switch (eventType(event)) {
    case 'message':
      return new NativeMessageEvent(
        'message',
        withoutPrototype({ data: messageEventData(event), origin: messageEventOrigin(event), lastEventId: messageEventLastEventId(event) }),
      );
    case 'close':
      return new NativeCloseEvent('close', withoutPrototype({ code: closeEventCode(event), reason: closeEventReason(event), wasClean: closeEventWasClean(event) }));
    default:
      return new NativeEvent(eventType(event));
  }
}

/** A copy of a message event with other data (edited on its way), as `binaryType` gives binary data. */
export function messageLike(event: Event, data: unknown, binaryType: BinaryType): Event {
  const binary = typeof data !== 'string';
  return new NativeMessageEvent(
    'message',
    withoutPrototype({
      data: binary && binaryType === 'blob' ? new NativeBlob([data as ArrayBuffer]) : data,
      origin: messageEventOrigin(event),
      lastEventId: messageEventLastEventId(event),
    }),
  );
}

const NativeBlob = Blob;

export function dispatch(target: EventTarget, event: Event): void {
  dispatchEvent(target, event);
}
