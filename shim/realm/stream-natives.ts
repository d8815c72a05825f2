// The Streams built-ins the shim's stream modules use, saved before page
// code runs (the page may replace the globals and patch the prototypes).
import { getter } from './natives';
import { uncurry } from './uncurry';

export const NativeReadableStream = ReadableStream;
export const NativeWritableStream = WritableStream;
export const enqueue = uncurry(ReadableStreamDefaultController.prototype.enqueue);
export const errorReadable = uncurry(ReadableStreamDefaultController.prototype.error);
export const errorWritable = uncurry(WritableStreamDefaultController.prototype.error);
const closeReadable = uncurry(ReadableStreamDefaultController.prototype.close);

export const getReader = uncurry(ReadableStream.prototype.getReader) as (stream: ReadableStream) => ReadableStreamDefaultReader;
export const read = uncurry(ReadableStreamDefaultReader.prototype.read);
export const cancelRead = uncurry(ReadableStreamDefaultReader.prototype.cancel);
export const readerClosed = getter<Promise<void>>(ReadableStreamDefaultReader.prototype, 'closed');
export const getWriter = uncurry(WritableStream.prototype.getWriter) as (stream: WritableStream) => WritableStreamDefaultWriter;
export const write = uncurry(WritableStreamDefaultWriter.prototype.write);
export const closeWrite = uncurry(WritableStreamDefaultWriter.prototype.close);
export const abortWrite = uncurry(WritableStreamDefaultWriter.prototype.abort);
export const writerClosed = getter<Promise<void>>(WritableStreamDefaultWriter.prototype, 'closed');

/** Closes a readable the page may have closed, cancelled or errored already. */
export function closeQuietly(controller: ReadableStreamDefaultController): void {
  try {
    closeReadable(controller);
  } catch {
    // Not readable any more.
  }
}
