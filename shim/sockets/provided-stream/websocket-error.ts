// WebSocketError as the WebSockets Standard defines it, for browsers that
// lack it: a DOMException named "WebSocketError" with a close code and reason.
import { readCloseInfo } from '../close-info';
import { NativeDOMException } from '../../realm/natives';

let setCloseInfo: (error: WebSocketError, code: number | null, reason: string) => void;
let readErrorInfo: (error: unknown) => { code: number | null; reason: string } | null;

export class WebSocketError extends NativeDOMException {
  #closeCode: number | null = null;
  #reason = '';

  constructor(message: unknown = '', init: unknown = undefined) {
    const text = `${message as string}`;
    const info = readCloseInfo(init, 'WebSocketError constructor');
    super(text, 'WebSocketError');
    this.#closeCode = info.code;
    this.#reason = info.reason;
  }

  get closeCode(): number | null {
    return this.#closeCode;
  }

  get reason(): string {
    return this.#reason;
  }

  static {
    setCloseInfo = (error, code, reason) => {
      error.#closeCode = code;
      error.#reason = reason;
    };
    readErrorInfo = (error) => (typeof error === 'object' && error !== null && #closeCode in error ? { code: error.#closeCode, reason: error.#reason } : null);
  }
}

/** An error of the connection's own: it may carry a code a page may not pass (1006). */
export function connectionError(message: string, code: number | null): WebSocketError {
  const error = new WebSocketError(message);
  setCloseInfo(error, code, '');
  return error;
}

/** The code and reason a WebSocketError carries; null for any other value (read without running page code). */
export const closeInfoOf = (error: unknown): { code: number | null; reason: string } | null => readErrorInfo(error);
