// The errors Chromium's own WebSocketStream shows when its connection is lost
// (seen in Chromium 156 when the server's TCP connection dies): before the
// handshake completes, `opened` rejects with "WebSocket closed before
// handshake complete." (closeCode null) and `closed` with "WebSocket was not
// cleanly closed." (closeCode 1006, reason ""), the latter also erroring the
// readable and writable, one object for all. A dropped socket shows the same.
//
// A page cannot make a WebSocketError whose closeCode is 1006 (the
// constructor refuses codes a page may not send); the browser's own errors
// carry it. So the shim makes a real WebSocketError and, for the ones it made,
// the `closeCode` getter answers 1006, from when shaping is first used.
import type { Mask } from '../../realm/mask';
import { NativeWeakMap, reflectConstruct, weakMapGet, weakMapSet } from '../../realm/natives';
import { derive } from '../../realm/replace';
import type { Shaping } from '../../shaping/shaping';
import { ABNORMAL_CLOSURE } from '../connection-state';

export interface LostConnectionErrors {
  /** What `opened` rejects with when the connection is lost during the handshake. */
  beforeOpen(): unknown;
  /** What `closed`, the readable and the writable fail with: closeCode 1006. */
  notCleanlyClosed(): unknown;
}

export function lostConnectionErrors(NativeError: Function, mask: Mask, shaping: Shaping): LostConnectionErrors {
  const abnormal = new NativeWeakMap<object, true>();
  const make = (message: string) => reflectConstruct(NativeError, [message]) as object;
  // Drops come from shaping rules: until one applies, the getter stays the native one.
  shaping.onActive(() =>
    derive(NativeError.prototype as object, 'closeCode', mask, (self, native) => (weakMapGet(abnormal, self) ? ABNORMAL_CLOSURE : native())),
  );
  return {
    beforeOpen: () => make('WebSocket closed before handshake complete.'),
    notCleanlyClosed: () => {
      const error = make('WebSocket was not cleanly closed.');
      weakMapSet(abnormal, error, true);
      return error;
    },
  };
}
