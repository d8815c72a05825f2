// One page WebSocket carried by a native WebSocketStream (see over-stream.ts):
// the page's object, the native stream under it, and the state the page reads.
//
// Reading: one native read at a time, the next only once the simulated
// consumer holds nothing, so a paused or slow consumer leaves what the server
// sends in the native stream and in TCP (at most one message read ahead).
// Writing: a send's bytes count in `bufferedAmount` until its native write
// settles; a Blob waits for its bytes, and later sends wait behind it.
import { readCloseArguments } from '../close-info';
import { ABNORMAL_CLOSURE, CLOSED, CLOSING, CONNECTING, DROPPED, OPEN } from '../connection-state';
import { Deque } from '../../realm/deque';
import { payloadSize } from '../../realm/encoding';
import {
  heldPayload,
  isBlob,
  NativeDOMException,
  NativeTypeError,
  noop,
  promiseThen,
  readBlob,
  safely,
  withoutPrototype,
} from '../../realm/natives';
import { getReader, getWriter, read, write } from '../../realm/stream-natives';
import type { Pipeline } from '../../shaping/shaping';
import type { SocketInfo } from '../../wire/records';
import { ConnectionSocket, recordMarked, recordReceived, recordSent, type SocketKit } from '../socket-kind';
import type { OwnMessage } from '../../talk-back/own-message';
import type { WebSocketCloseInfo, WebSocketOpenInfo } from '../stream-info';
import { fire, fireClose, fireEnd, fireMessage, messageOrigin, type CleanClose } from '../websocket/events';
import { convertSendData } from '../websocket/send-data';

/** The native WebSocketStream's members the carried sockets of a realm use, saved before page code runs. */
export interface CarrierNatives {
  readonly kit: SocketKit;
  opened(stream: object): Promise<WebSocketOpenInfo>;
  closed(stream: object): Promise<WebSocketCloseInfo>;
  close(stream: object, closeInfo?: object): void;
}

type Outcome = { clean: true; code: number; reason: string } | { clean: false };

interface Outgoing {
  /** null while a Blob's bytes are read. */
  data: unknown;
  size: number;
}

const NativeBlob = Blob;
const SEND = "Failed to execute 'send' on 'WebSocket'";

export class CarriedSocket extends ConnectionSocket {
  protocol = '';
  extensions = '';
  binaryType: BinaryType = 'blob';
  /** Bytes sent and not yet handed to the network, plus those sent after close() (discarded, as natively). */
  buffered = 0;
  /** The on* attributes, in HANDLER_TYPES order (carried-members.ts). */
  readonly handlers: unknown[] = [null, null, null, null];
  private readonly origin: string;
  private reader: ReadableStreamDefaultReader | null = null;
  private writer: WritableStreamDefaultWriter | null = null;
  private reading = false;
  private readEnded = false;
  private outcome: Outcome | null = null;
  /** The page saw `open`: a failure before it is an abnormal closure whatever the stream says. */
  private opened = false;
  private readonly outgoing = new Deque<Outgoing>();
  private writesInFlight = 0;
  /** The page's close(), waiting for earlier sends to be handed to the network. */
  private closeRequest: { code: number | undefined; reason: string } | null = null;

  constructor(
    readonly natives: CarrierNatives,
    readonly socket: WebSocket,
    readonly stream: object,
    readonly url: string,
    readonly info: SocketInfo,
  ) {
    super();
    this.origin = messageOrigin(url);
    promiseThen(natives.opened(stream), (opened) => this.onOpen(opened), noop);
    promiseThen(
      natives.closed(stream),
      (result) => this.settle({ clean: true, code: result.closeCode, reason: result.reason }),
      () => this.settle({ clean: false }),
    );
  }

  private onOpen(opened: WebSocketOpenInfo): void {
    this.reader = getReader(opened.readable);
    this.writer = getWriter(opened.writable);
    // The page closed it while connecting: the stream fails or closes, and the page hears of a failure.
    if (this.state !== CONNECTING) return this.pump();
    this.moveTo(OPEN);
    this.opened = true;
    this.protocol = opened.protocol;
    this.extensions = opened.extensions;
    safely(recordOpened, this);
    fire(this.socket, 'open');
    this.pump();
  }

  /** Reads the next message unless one is being read, or the consumer still holds one. */
  private pump(): void {
    if (this.reading || this.readEnded || !this.reader) return;
    const pipeline = this.pipeline();
    if (pipeline && this.state === OPEN && pipeline.consumer.heldCount + pipeline.receiveGate.heldCount > 0) return;
    this.reading = true;
    promiseThen(
      read(this.reader),
      (result) => {
        this.reading = false;
        if (result.done) return this.endReading();
        this.receive(result.value as string | ArrayBuffer);
        this.pump();
      },
      () => {
        this.reading = false;
        this.endReading();
      },
    );
  }

  private receive(data: string | ArrayBuffer): void {
    // As natively: no message after the page's close().
    if (this.state !== OPEN) return;
    const pipeline = this.pipeline();
    const size = payloadSize(data);
    if (!pipeline || pipeline.admitReceived(size, false)) {
      safely(recordReceived, this, data);
      return this.deliver(data);
    }
    // While intercept rules apply to what it receives, a message is recorded as it leaves their gate.
    const recording = pipeline.receiveGate.idle ? 'recorded' : 'record';
    if (recording === 'recorded') safely(recordReceived, this, data);
    const deliver = (passed: unknown) => () => {
      this.deliver(passed as string | ArrayBuffer);
      this.pump();
    };
    const onward = (passed: unknown) => pipeline.consumer.push({ size: payloadSize(passed), control: false, deliver: deliver(passed) });
    pipeline.holdReceived(size, false, deliver(data), this.gated('receive', data, size, recording, onward, () => this.pump()));
  }

  protected handToPage(data: OwnMessage): void {
    this.deliverLater(payloadSize(data), () => {
      this.deliver(data);
      this.pump();
    });
  }

  private deliver(data: string | ArrayBuffer): void {
    if (this.state !== OPEN) return;
    // As natively, binaryType is read as the message reaches the page.
    fireMessage(this.socket, typeof data === 'string' || this.binaryType === 'arraybuffer' ? data : new NativeBlob([data]), this.origin);
  }

  private endReading(): void {
    this.readEnded = true;
    this.finish();
  }

  private settle(outcome: Outcome): void {
    this.outcome = outcome;
    if (!this.reader) this.readEnded = true;
    this.finish();
  }

  /** Once every message is read and the stream closed: the close, after what shaping still holds. */
  private finish(): void {
    const outcome = this.outcome;
    if (!outcome || !this.readEnded || this.state === DROPPED) return;
    const clean = outcome.clean && this.opened;
    const code = outcome.clean && clean ? outcome.code : ABNORMAL_CLOSURE;
    const reason = outcome.clean && clean ? outcome.reason : '';
    safely(recordClosed, this, clean ? { code, reason } : null);
    const pipeline = this.pipeline();
    const deliver = () => this.closed(clean, code, reason);
    if (!pipeline || pipeline.admitReceived(0, true)) deliver();
    else pipeline.holdReceived(0, true, deliver);
  }

  private closed(clean: boolean, code: number, reason: string): void {
    if (this.state === DROPPED) return;
    this.moveTo(CLOSED);
    this.forget();
    // Chromium fires `error` only for a connection that never opened.
    if (!this.opened) fire(this.socket, 'error');
    fireClose(this.socket, code, reason, clean);
  }

  send(args: unknown[]): void {
    if (args.length === 0) throw new NativeTypeError(`${SEND}: 1 argument required, but only 0 present.`);
    const data = convertSendData(args[0]);
    if (this.state === CONNECTING) throw new NativeDOMException(`${SEND}: Still in CONNECTING state.`, 'InvalidStateError');
    this.sendData(data, payloadSize(data));
  }

  sendAsPage(data: OwnMessage): void {
    this.sendData(data, payloadSize(data), 'sent');
  }

  /**
   * A send, recorded (with Sockscope's mark when it is Sockscope's), then
   * written in order past the send gate and the up link. It counts in
   * `bufferedAmount` from now until written; edited, as what replaced it.
   */
  private sendData(data: unknown, size: number, mark: 'sent' | null = null): void {
    this.buffered += size;
    // After close() began, the browser discards what is sent, and counts it.
    if (this.state !== OPEN) return;
    // The bytes as they are now: the page may reuse its buffer as soon as send() returns.
    const held = heldPayload(data, size);
    const pipeline = this.pipeline();
    if (mark) safely(recordMarked, this, { direction: 'send', mark, data });
    if (!pipeline || pipeline.sendGate.idle) {
      if (!mark) safely(recordSent, this, data);
      return this.upLink(pipeline, held, size);
    }
    const onward = (passed: unknown) => {
      const passedSize = payloadSize(passed);
      this.buffered += passedSize - size;
      this.upLink(pipeline, passed, passedSize);
    };
    pipeline.sendGate.pass(this.gated('send', held, size, mark ? 'own' : 'record', onward, () => (this.buffered -= size)));
  }

  private upLink(pipeline: Pipeline | undefined, data: unknown, size: number): void {
    if (pipeline && !pipeline.up.admit(size, false)) pipeline.up.push({ size, control: false, deliver: () => this.write(data, size) });
    else this.write(data, size);
  }

  /** Hands a send to the native stream in order, a Blob once its bytes are read. */
  private write(data: unknown, size: number): void {
    const entry: Outgoing = { data: isBlob(data) ? null : data, size };
    if (entry.data === null) {
      promiseThen(
        readBlob(data as Blob, size),
        (bytes) => {
          entry.data = bytes;
          this.flush();
        },
        () => {
          // Unreadable: nothing goes out for it.
          entry.data = undefined;
          this.flush();
        },
      );
    }
    this.outgoing.push(entry);
    this.flush();
  }

  private flush(): void {
    for (let head = this.outgoing.at(0); head && head.data !== null; head = this.outgoing.at(0)) {
      this.outgoing.shift();
      const { data, size } = head;
      if (data === undefined) {
        this.buffered -= size;
        continue;
      }
      this.writesInFlight++;
      const settled = () => {
        this.buffered -= size;
        this.writesInFlight--;
        this.closeWhenSent();
      };
      promiseThen(write(this.writer as WritableStreamDefaultWriter, data), settled, settled);
    }
    this.closeWhenSent();
  }

  close(args: unknown[]): void {
    const { code, reason } = readCloseArguments(args, 'chromium');
    if (this.state !== CONNECTING && this.state !== OPEN) return;
    const connecting = this.state === CONNECTING;
    this.moveTo(CLOSING);
    // While connecting, the connection fails: error, then an abnormal close.
    if (connecting) return this.natives.close(this.stream);
    const pipeline = this.pipeline();
    const request = () => {
      this.closeRequest = { code, reason };
      this.closeWhenSent();
    };
    if (pipeline) this.closeBehindSends(pipeline, request);
    else request();
  }

  private closeWhenSent(): void {
    const request = this.closeRequest;
    if (!request || this.writesInFlight > 0 || this.outgoing.length > 0) return;
    this.closeRequest = null;
    const { code, reason } = request;
    this.natives.close(this.stream, withoutPrototype(code === undefined ? { reason } : { closeCode: code, reason }));
  }

  closeAsPage(code: number | undefined, reason: string): void {
    this.close(code === undefined ? [] : [code, reason]);
  }

  /** CLOSED for the page at once, then error and an abnormal close, as when a connection fails. */
  drop(): void {
    this.detach(null);
  }

  /** CLOSED for the page at once, then a clean close with the server's code and reason. */
  closeAsServer(code: number, reason: string): void {
    this.detach({ code, reason });
  }

  /** The native connection closes, and the page hears of its end (`clean`, or lost) instead of what the stream says. */
  private detach(clean: CleanClose | null): void {
    if (this.state === CLOSED || this.state === DROPPED) return;
    this.moveTo(DROPPED);
    this.natives.close(this.stream);
    safely(recordClosed, this, clean);
    fireEnd(this.socket, clean, () => this.forget());
  }

  bufferedAmount(): number {
    return this.buffered;
  }
}

function recordOpened(carried: CarriedSocket): void {
  carried.natives.kit.recorder.opened(carried.info, carried.protocol, carried.extensions);
}

/** A clean close's code and reason; null when the connection failed. */
function recordClosed(carried: CarriedSocket, clean: CleanClose | null): void {
  const { recorder } = carried.natives.kit;
  if (!clean) recorder.failed(carried.info);
  recorder.closed(carried.info, clean?.code ?? ABNORMAL_CLOSURE, clean?.reason ?? '', clean !== null);
}
