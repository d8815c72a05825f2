// Close socket…'s code and reason, checked as the WebSockets Standard's
// close() checks them, so that the panel refuses what the shim would.

export const MAX_REASON_BYTES = 123;

export type CloseArguments = { code: number | null; reason: string } | { error: string };

/** `codeText` empty for no code (a reason then goes with 1000, as the shim sends it). */
export function readCloseArguments(codeText: string, reason: string): CloseArguments {
  const trimmed = codeText.trim();
  let code: number | null = null;
  if (trimmed !== '') {
    if (!/^\d+$/.test(trimmed)) return { error: `The code is a whole number, 1000 or 3000–4999 (got "${trimmed}")` };
    code = Number(trimmed);
    if (code !== 1000 && (code < 3000 || code > 4999)) return { error: `The close code must be either 1000, or between 3000 and 4999. ${code} is neither.` };
  }
  const bytes = new TextEncoder().encode(reason).length;
  if (bytes > MAX_REASON_BYTES) return { error: `The close reason must not be greater than ${MAX_REASON_BYTES} UTF-8 bytes (it is ${bytes}).` };
  return { code, reason };
}
