// WebSocket.prototype's members answering for carried sockets: every accessor
// and method answers from the carried socket's state (for any other receiver
// it does what it did), and the on* attributes are event handlers as WebIDL
// defines them, over the socket's own EventTarget.
import { addEventListener, getOwnPropertyDescriptor, NativeWeakMap, preventDefault, reflectApply, weakMapGet, weakMapSet } from '../../realm/natives';
import type { Mask } from '../../realm/mask';
import { deriveAccessor, replace } from '../../realm/replace';
import { uncurry } from '../../realm/uncurry';
import { idlString } from '../../realm/webidl';
import { readyStateOf } from '../connection-state';
import type { CarriedSocket } from './carried-socket';

const HANDLER_TYPES = ['open', 'message', 'error', 'close'] as const;
const removeEventListener = uncurry(EventTarget.prototype.removeEventListener) as (target: EventTarget, type: string, listener: EventListener) => void;

type Answer = (carried: CarriedSocket, args: unknown[]) => unknown;

/** The page's carried sockets, each found from its object. */
export class CarriedSockets {
  private readonly sockets = new NativeWeakMap<object, CarriedSocket>();

  add(carried: CarriedSocket): void {
    weakMapSet(this.sockets, carried.socket, carried);
  }

  of(self: unknown): CarriedSocket | undefined {
    return weakMapGet(this.sockets, self) as CarriedSocket | undefined;
  }
}

/** Makes `proto`'s members answer for carried sockets. */
export function answerForCarried(proto: WebSocket, mask: Mask, carried: CarriedSockets): void {
  const accessors = accessorAnswers(handlerListeners(carried));
  for (let i = 0; i < accessors.length; i++) {
    const [name, part, answer] = accessors[i];
    deriveAccessor(proto, name, part, mask, (self, args, native) => {
      const socket = carried.of(self);
      return socket ? answer(socket, args) : native();
    });
  }
  const methods: ['send' | 'close', Answer][] = [
    ['send', (c, args) => c.send(args)],
    ['close', (c, args) => c.close(args)],
  ];
  for (let i = 0; i < methods.length; i++) {
    const [name, method] = methods[i];
    const current = getOwnPropertyDescriptor(proto, name)?.value as Function;
    const replacement = new Proxy(current, {
      apply(target, self: unknown, args: unknown[]) {
        const socket = carried.of(self);
        return socket ? method(socket, args) : reflectApply(target, self, args);
      },
    });
    replace(proto, name, replacement, mask);
  }
}

/** What each WebSocket accessor does for a carried socket. */
function accessorAnswers(listeners: EventListener[]): [name: string, part: 'get' | 'set', answer: Answer][] {
  return [
    ['url', 'get', (c) => c.url],
    ['readyState', 'get', (c) => readyStateOf(c.state)],
    ['bufferedAmount', 'get', (c) => c.buffered],
    ['protocol', 'get', (c) => c.protocol],
    ['extensions', 'get', (c) => c.extensions],
    ['binaryType', 'get', (c) => c.binaryType],
    ['binaryType', 'set', (c, args) => setBinaryType(c, args[0])],
    ...HANDLER_TYPES.flatMap((type, index): [string, 'get' | 'set', Answer][] => [
      [`on${type}`, 'get', (c) => c.handlers[index]],
      [`on${type}`, 'set', (c, args) => setHandler(c, index, args[0], listeners[index])],
    ]),
  ];
}

/** One listener per event type serves every carried socket's on* attribute: `this` is the socket. */
function handlerListeners(carried: CarriedSockets): EventListener[] {
  return HANDLER_TYPES.map(
    (_, index) =>
      function (this: WebSocket, event: Event): void {
        const handler = carried.of(this)?.handlers[index];
        if (typeof handler !== 'function') return;
        if (reflectApply(handler, this, [event]) === false) preventDefault(event);
      },
  );
}

/** An on* attribute set: a listener added when it becomes non-null, removed when null (a later one goes last). */
function setHandler(carried: CarriedSocket, index: number, value: unknown, listener: EventListener): void {
  const handler = typeof value === 'object' || typeof value === 'function' ? value : null;
  const had = carried.handlers[index] !== null;
  carried.handlers[index] = handler;
  if (handler !== null && !had) addEventListener(carried.socket, HANDLER_TYPES[index], listener);
  else if (handler === null && had) removeEventListener(carried.socket, HANDLER_TYPES[index], listener);
}

function setBinaryType(carried: CarriedSocket, value: unknown): void {
  const text = idlString(value, "Failed to set the 'binaryType' property on 'WebSocket'");
  // As natively: a value that is not a BinaryType is ignored.
  if (text === 'blob' || text === 'arraybuffer') carried.binaryType = text;
}
