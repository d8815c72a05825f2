// The shaped down link of Chromium's native WebSocketStream, whose readable
// the shim otherwise reads only when the page does. A link with latency has
// data in flight, so once a rule delays the down link the shim reads ahead
// from the native readable into the down stage while the link holds less
// than a window (in the stage, plus arrived and not yet read by the page),
// and the page's reads, let through by the consumer stage, take what has
// arrived. When the window is full the shim stops reading: the native queue
// fills and TCP holds the server back, as a full receive window would.
// Intercept rules on what the socket receives start it too: their gate sits
// between the link and what has arrived, and reading stops while it holds a
// message. Messages keep their order; the native close or error follows them
// through the link and the gate.
import { Deque } from '../../realm/deque';
import { payloadSize } from '../../realm/encoding';
import { NativePromise, noop, promiseThen } from '../../realm/natives';
import { closeQuietly, enqueue, errorReadable } from '../../realm/stream-natives';
import type { Pipeline } from '../../shaping/shaping';
import type { StageSettings } from '../../shaping/stage';
import type { Recording } from '../socket-kind';

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
  /** A chunk read off the network: recorded now, or how it is recorded at the receive gate. */
  received(chunk: unknown): Recording;
  /** A chunk past the down link, through the receive gate: `arrive` takes what goes on; `skipped` runs if a rule drops it. */
  pastLink(chunk: unknown, size: number, recording: Recording, arrive: (chunk: unknown) => void, skipped: () => void): void;
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

  /** A chunk of Sockscope's for the page: it arrives now, past the link, in order through the receive gate. */
  deliver(chunk: unknown): void {
    this.source.pastLink(chunk, payloadSize(chunk), 'own', this.arriving, noop);
  }

  /**
   * A chunk read before the read-ahead started: taken as if read by it, for
   * the page's read that asked for it (`forRead`), or for the next one.
   */
  adopt(chunk: unknown, forRead: boolean): void {
    this.accept(chunk);
    if (forRead) void this.take();
  }

  private accept(chunk: unknown): void {
    const size = payloadSize(chunk);
    const recording = this.source.received(chunk);
    this.pipeline.down.push({ size, control: false, deliver: () => this.source.pastLink(chunk, size, recording, this.arriving, this.skipped) });
  }

  /** Reads one more chunk while the link holds less than its window, or when a page read waits on an empty link. */
  pump(): void {
    if (this.reading || this.ended || this.stopped) return;
    const { down, receiveGate } = this.pipeline;
    const held = down.heldBytes + receiveGate.heldBytes + this.arrivedBytes;
    const idle = down.heldCount + receiveGate.heldCount + this.arrived.length === 0;
    if (!(held < readAheadWindow(this.pipeline.downLink) || (this.waiting !== null && idle))) return;
    this.reading = true;
    promiseThen(
      this.source.read(),
      (result) => {
        this.reading = false;
        if (this.stopped) return;
        if (result.done) return this.end(() => this.close());
        this.accept(result.value);
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
    // Behind the messages the link and the receive gate hold.
    const behindGate = () => this.pipeline.receiveGate.after(() => this.stopped || deliver());
    this.pipeline.down.push({ size: 0, control: true, deliver: behindGate });
  }

  private readonly arriving = (chunk: unknown): void => this.arrive({ chunk, size: payloadSize(chunk) });
  /** A rule dropped a chunk: a page read may wait for the next. */
  private readonly skipped = (): void => this.pump();

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
