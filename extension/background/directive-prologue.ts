// Where code can go first in a classic script without changing its meaning:
// after its directive prologue, so that a worker script starting with
// "use strict"; stays strict. Scanned on the bytes as they arrive (UTF-8: the
// bytes of a multi-byte character never look like ASCII punctuation).

const SLASH = 0x2f;
const STAR = 0x2a;
const BACKSLASH = 0x5c;
const SEMICOLON = 0x3b;
const QUOTES = [0x22, 0x27];
/** Space, tab, vertical tab, form feed, and a UTF-8 byte order mark's bytes. */
const SPACE = [0x20, 0x09, 0x0b, 0x0c, 0xef, 0xbb, 0xbf];
const LINE_END = [0x0a, 0x0d];

/**
 * The byte offset just past the script's last directive that ends in a
 * semicolon on its own line (0 when it has none), or null when `bytes` end
 * before that is known and more may come (`complete` false). A directive
 * without its semicolon ends the scan there: code put after it could join
 * the next line's expression.
 */
export function afterPrologue(bytes: Uint8Array, complete: boolean): number | null {
  let at = 0;
  let insert = 0;
  for (;;) {
    at = skipBlank(bytes, at, true);
    if (at < 0) return complete ? insert : null;
    if (!QUOTES.includes(bytes[at])) return insert;
    const end = skipString(bytes, at);
    if (end < 0) return complete ? insert : null;
    const next = skipBlank(bytes, end, false);
    if (next < 0) return complete ? insert : null;
    if (bytes[next] !== SEMICOLON) return insert;
    at = insert = next + 1;
  }
}

/** Past blanks and comments (across lines only when `lines`); -1 when the bytes end first. */
function skipBlank(bytes: Uint8Array, at: number, lines: boolean): number {
  while (at < bytes.length) {
    const byte = bytes[at];
    if (SPACE.includes(byte) || (lines && LINE_END.includes(byte))) at++;
    else if (byte === SLASH && bytes[at + 1] === STAR) {
      const close = findCommentEnd(bytes, at + 2);
      if (close < 0) return -1;
      if (!lines && bytes.subarray(at, close).some((b) => LINE_END.includes(b))) return at;
      at = close;
    } else if (byte === SLASH && bytes[at + 1] === SLASH) {
      if (!lines) return at;
      while (at < bytes.length && !LINE_END.includes(bytes[at])) at++;
    } else if (byte === SLASH && at + 1 === bytes.length) return -1;
    else return at;
  }
  return -1;
}

function findCommentEnd(bytes: Uint8Array, at: number): number {
  for (; at + 1 < bytes.length; at++) if (bytes[at] === STAR && bytes[at + 1] === SLASH) return at + 2;
  return -1;
}

/** Past a string literal starting at `at`; -1 when the bytes end first. */
function skipString(bytes: Uint8Array, at: number): number {
  const quote = bytes[at];
  for (at++; at < bytes.length; at++) {
    if (bytes[at] === BACKSLASH) at++;
    else if (bytes[at] === quote) return at + 1;
  }
  return -1;
}
