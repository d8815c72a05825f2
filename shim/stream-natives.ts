// The Streams built-ins both WebSocketStream modules use, saved before page
// code runs (the page may replace the globals and patch the prototypes).
import { uncurry } from './uncurry';

export const NativeReadableStream = ReadableStream;
export const NativeWritableStream = WritableStream;
export const enqueue = uncurry(ReadableStreamDefaultController.prototype.enqueue);
export const errorReadable = uncurry(ReadableStreamDefaultController.prototype.error);
export const errorWritable = uncurry(WritableStreamDefaultController.prototype.error);
const closeReadable = uncurry(ReadableStreamDefaultController.prototype.close);

/** Closes a readable the page may have closed, cancelled or errored already. */
export function closeQuietly(controller: ReadableStreamDefaultController): void {
  try {
    closeReadable(controller);
  } catch {
    // Not readable any more.
  }
}
