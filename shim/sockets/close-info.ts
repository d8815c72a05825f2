// WebSocketCloseInfo as WebIDL converts it and the WebSockets Standard checks
// it: the argument of WebSocketStream's close() and the init of WebSocketError,
// where Sockscope provides those interfaces.
import { NativeDOMException, NativeTypeError, toWellFormed } from '../realm/natives';
import { utf8Length } from '../realm/encoding';
import { idlNumber, idlString } from '../realm/webidl';

export interface CloseInfo {
  /** null: no code (the Close frame carries none, 1005 on the other side). */
  code: number | null;
  reason: string;
}

const MAX_REASON_BYTES = 123;

/** `context` begins error messages, as the engine words them ("WebSocketStream.close"). */
export function readCloseInfo(value: unknown, context: string): CloseInfo {
  if (value !== undefined && value !== null && typeof value !== 'object' && typeof value !== 'function') {
    throw new NativeTypeError(`${context}: Value can't be converted to a dictionary.`);
  }
  let code: number | null = null;
  let reason = '';
  if (value !== undefined && value !== null) {
    // Dictionary members are read in order, each once, through any getters the page defined.
    const rawCode = (value as { closeCode?: unknown }).closeCode;
    if (rawCode !== undefined) code = clampUnsignedShort(rawCode);
    const rawReason = (value as { reason?: unknown }).reason;
    if (rawReason !== undefined) reason = toWellFormed(`${rawReason as string}`);
  }
  checkClose(code, reason, context);
  // A reason needs a code on the wire: 1000, "normal closure".
  if (code === null && reason !== '') code = 1000;
  return { code, reason };
}

/** Throws as the standard says for a code a page may not send, or a reason over 123 UTF-8 bytes. */
export function checkClose(code: number | null, reason: string, context: string): void {
  if (code !== null && !isValidCloseCode(code)) {
    throw new NativeDOMException(`${context}: The close code must be either 1000, or between 3000 and 4999. ${code} is neither.`, 'InvalidAccessError');
  }
  checkReason(reason, context);
}

export function checkReason(reason: string, context: string): void {
  if (utf8Length(reason) > MAX_REASON_BYTES) {
    throw new NativeDOMException(`${context}: The close reason must not be greater than ${MAX_REASON_BYTES} UTF-8 bytes.`, 'SyntaxError');
  }
}

/**
 * How close()'s code is read: as the standard says (`[Clamp]`: halves round
 * to even; an undefined code is not given), or as Chromium 156 reads it (a
 * fraction is cut off; an undefined code before a reason is 0).
 */
export type CodeReading = 'standard' | 'chromium';

const CLOSE = "Failed to execute 'close' on 'WebSocket'";

/** WebSocket.close(code, reason) converted and checked as the native method does (code: undefined when not given). */
export function readCloseArguments(args: unknown[], reading: CodeReading): { code: number | undefined; reason: string } {
  const given = args.length > 0 && (args[0] !== undefined || (reading === 'chromium' && args.length > 1));
  const code = given ? (reading === 'chromium' ? truncateUnsignedShort : clampUnsignedShort)(idlNumber(args[0], CLOSE)) : undefined;
  const reason = args.length > 1 && args[1] !== undefined ? toWellFormed(idlString(args[1], CLOSE)) : '';
  checkClose(code ?? null, reason, CLOSE);
  return { code, reason };
}

/** The codes a page may send. */
export const isValidCloseCode = (code: number): boolean => code === 1000 || (code >= 3000 && code <= 4999);

/** The codes a server may send in a Close frame (RFC 6455 §7.4: 1004–1006 and 1015 never travel). */
export const isServerCloseCode = (code: number): boolean => (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);

/** Chromium 156's `[Clamp] unsigned short`: NaN is 0, out-of-range values clamp, fractions are cut off. */
function truncateUnsignedShort(n: number): number {
  if (n !== n) return 0;
  const x = n < 0 ? 0 : n > 65535 ? 65535 : n;
  return x - (x % 1);
}

/** WebIDL `[Clamp] unsigned short`: NaN is 0, out-of-range values clamp, halves round to even. */
export function clampUnsignedShort(value: unknown): number {
  const n = +(value as number);
  if (n !== n) return 0;
  const x = n < 0 ? 0 : n > 65535 ? 65535 : n;
  const floor = x - (x % 1);
  const fraction = x - floor;
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}
