// The shaped down link of Chromium's native WebSocketStream, whose readable
// the shim otherwise reads only when the page does. A link with latency has
// data in flight, so once a rule delays the down link the shim reads ahead
// from the native readable into the down stage while the link holds less
// than a window (in the stage, plus arrived and not yet read by the page),
// and the page's reads, let through by the consumer stage, take what has
// arrived. When the window is full the shim stops reading: the native queue
// fills and TCP holds the server back, as a full receive window would.
// Messages keep their order; the native close or error follows them through
// the link.
import { Deque } from '../../realm/deque';
import { payloadSize } from '../../realm/encoding';
import { NativePromise, promiseThen } from '../../realm/natives';
import { closeQuietly, enqueue, errorReadable } from '../../realm/stream-natives';
import type { Pipeline } from '../../shaping/shaping';
import type { StageSettings } from '../../shaping/stage';

/** The least a delaying link holds in flight: a TCP receive window before it grows, so a slow link still streams. */
export const READ_AHEAD_FLOOR = 64 * 1024;
/** The most: about the receive buffer Linux grows a connection's to by default, so a fast link with latency is not read without bound. */
export const READ_AHEAD_CAP = 4 * 1024 * 1024;

/**
 * Bytes a link holds in flight: its bandwidth-delay product (bytes per
 * second × the largest delay), within the floor and cap; an unlimited
 * bandwidth takes the cap. 0 for a link that delays nothing: then the
 * native stream is read only when the page waits, as without shaping.
 */
export function readAheadWindow(link: StageSettings): number {
  if (!delays(link)) return 0;
  if (link.bytesPerSecond === 0) return READ_AHEAD_CAP;
  const inFlight = (link.bytesPerSecond * (link.latencyMs + link.jitterMs)) / 1000;
  return inFlight < READ_AHEAD_FLOOR ? READ_AHEAD_FLOOR : inFlight > READ_AHEAD_CAP ? READ_AHEAD_CAP : inFlight;
}

export function delays(link: StageSettings): boolean {
  return link.paused || link.latencyMs > 0 || link.jitterMs > 0 || link.bytesPerSecond > 0 || link.messagesPerSecond > 0;
}

export interface NativeSource {
  read(): Promise<ReadableStreamReadResult<unknown>>;
  /** A chunk read off the network (the shim records it). */
  received(chunk: unknown): void;
}

interface Arrived {
  chunk: unknown;
  size: number;
}

export class ReadAhead {
  private readonly arrived = new Deque<Arrived>();
  private arrivedBytes = 0;
  /** A page read with nothing arrived to take: settled by the next arrival. */
  private waiting: (() => void) | null = null;
  private reading = false;
  /** The native stream closed or failed: what says so is on its way through the link. */
  private ended = false;
  /** The close came through the link: the page's readable closes once what arrived is read. */
  private closing = false;
  private stopped = false;

  constructor(
    private readonly pipeline: Pipeline,
    private readonly controller: ReadableStreamDefaultController,
    private readonly source: NativeSource,
  ) {
    this.pump();
  }

  /** A page read the consumer stage let through: what arrived first, else the next arrival. */
  take(): Promise<void> | void {
    const head = this.arrived.shift();
    if (head) {
      this.arrivedBytes -= head.size;
      enqueue(this.controller, head.chunk);
      this.pump();
      return;
    }
    if (this.closing) return closeQuietly(this.controller);
    return new NativePromise<void>((resolve) => {
      this.waiting = resolve;
      this.pump();
    });
  }

  /** A chunk of Sockscope's for the page: it arrives now, past the link. */
  deliver(chunk: unknown): void {
    this.arrive({ chunk, size: payloadSize(chunk) });
  }

  /** Reads one more chunk while the link holds less than its window, or when a page read waits on an empty link. */
  pump(): void {
    if (this.reading || this.ended || this.stopped) return;
    const held = this.pipeline.down.heldBytes + this.arrivedBytes;
    const idle = this.pipeline.down.heldCount === 0 && this.arrived.length === 0;
    if (!(held < readAheadWindow(this.pipeline.downLink) || (this.waiting !== null && idle))) return;
    this.reading = true;
    promiseThen(
      this.source.read(),
      (result) => {
        this.reading = false;
        if (this.stopped) return;
        if (result.done) return this.end(() => this.close());
        const chunk = result.value;
        const size = payloadSize(chunk);
        this.source.received(chunk);
        this.pipeline.down.push({ size, control: false, deliver: () => this.arrive({ chunk, size }) });
        this.pump();
      },
      (error) => {
        this.reading = false;
        this.fail(error);
      },
    );
  }

  /** The native stream failed: the error reaches the page behind the messages before it, and errors its readable. */
  fail(error: unknown): void {
    this.end(() => {
      this.arrived.clear();
      errorReadable(this.controller, error);
    });
  }

  /** Nothing more reaches the page (a drop, a cancel). */
  stop(): void {
    this.stopped = true;
    this.arrived.clear();
  }

  private end(deliver: () => void): void {
    if (this.ended || this.stopped) return;
    this.ended = true;
    this.pipeline.down.push({ size: 0, control: true, deliver: () => this.stopped || deliver() });
  }

  private arrive(item: Arrived): void {
    if (this.stopped) return;
    const waiting = this.waiting;
    if (!waiting) {
      this.arrived.push(item);
      this.arrivedBytes += item.size;
      return;
    }
    this.waiting = null;
    enqueue(this.controller, item.chunk);
    waiting();
    this.pump();
  }

  private close(): void {
    this.closing = true;
    if (this.arrived.length > 0) return;
    closeQuietly(this.controller);
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.();
  }
}
