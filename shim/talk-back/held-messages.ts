// Messages held at breakpoints as the user sees and releases them (the page
// API, the panel): text as it is, bytes as base64, as messages() gives them.
import { toBase64 } from '../realm/encoding';
import { bytesOf, isBlob, NativeRangeError, NativeTypeError, stringSlice } from '../realm/natives';
import { HELD_DATA_CHARS, HELD_LISTED, type ShimEvents, type WireHeld } from '../wire/messages';
import type { HeldMessage } from '../wire/records';
import type { Breakpoints } from './gate';
import { readOwnMessage } from './own-message';

export function heldMessages(breakpoints: Breakpoints): HeldMessage[] {
  const list = breakpoints.list();
  const held: HeldMessage[] = [];
  for (let i = 0; i < list.length; i++) {
    const { id, gate, item, ruleId } = list[i];
    const text = typeof item.data === 'string';
    const data = text ? (item.data as string) : isBlob(item.data) ? '' : toBase64(bytesOf(item.data as ArrayBuffer | ArrayBufferView));
    held[i] = { id, ruleId, socketId: gate.socketId, direction: gate.direction, type: text ? 'text' : 'binary', size: item.size, data };
  }
  return held;
}

/** The list a `held` event carries: at most HELD_LISTED messages, each one's data cut to HELD_DATA_CHARS. */
export function wireHeld(breakpoints: Breakpoints, instance: string): ShimEvents['held'] {
  const all = heldMessages(breakpoints);
  const messages: WireHeld[] = [];
  for (let i = 0; i < all.length && i < HELD_LISTED; i++) {
    const held = all[i];
    const truncated = held.data.length > HELD_DATA_CHARS;
    messages[i] = { ...held, data: truncated ? stringSlice(held.data, 0, HELD_DATA_CHARS) : held.data, truncated };
  }
  return { instance, messages, more: all.length - messages.length };
}

/** Lets a held message go: as it is, with `data` instead, or dropped (`{ drop: true }`). Throws for bad input or an id held no more. */
export function releaseHeld(breakpoints: Breakpoints, id: unknown, change: unknown = {}): void {
  if (typeof id !== 'number') throw new NativeTypeError(`release: an id from paused() is a number (got ${typeof id})`);
  if (typeof change !== 'object' || change === null) throw new NativeTypeError('release: the second argument is { data } or { drop: true }');
  const { data, drop } = change as { data?: unknown; drop?: unknown };
  if (drop !== undefined && typeof drop !== 'boolean') throw new NativeTypeError('release: drop is true or false');
  if (drop && data !== undefined) throw new NativeTypeError('release: give data or drop, not both');
  const release = data === undefined ? { drop: drop === true } : { data: readOwnMessage(data, 'release') };
  if (!breakpoints.release(id, release)) throw new NativeRangeError(`release: no message is held with id ${id}`);
}
