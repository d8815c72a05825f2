// Log indices in a growable typed array, whose buffer can be handed to
// another thread whole.

/** Most sockets hold a few messages: at 1,024, a list of 10,000 sockets held 80 MB of empty buffers. */
const INITIAL_CAPACITY = 8;

export class IndexBuffer {
  /** The indices are `data[0 … length)`. */
  data: Float64Array = new Float64Array(INITIAL_CAPACITY);
  length = 0;

  /** A buffer over indices another thread filled. */
  static of(data: Float64Array, length: number): IndexBuffer {
    const buffer = new IndexBuffer();
    buffer.data = data;
    buffer.length = length;
    return buffer;
  }

  push(index: number): void {
    if (this.length === this.data.length) this.resize(2 * this.data.length);
    this.data[this.length++] = index;
  }

  at(position: number): number {
    return this.data[position];
  }

  /** Drops the first `n`. */
  dropFirst(n: number): void {
    this.data.copyWithin(0, n, this.length);
    this.length -= n;
  }

  /** Puts `before` ahead of the indices held. */
  prepend(before: IndexBuffer): void {
    const length = before.length + this.length;
    if (length > this.data.length) this.resize(Math.max(length, 2 * this.data.length));
    this.data.copyWithin(before.length, 0, this.length);
    this.data.set(before.data.subarray(0, before.length));
    this.length = length;
  }

  private resize(capacity: number): void {
    const grown = new Float64Array(capacity);
    grown.set(this.data.subarray(0, this.length));
    this.data = grown;
  }
}
