// The log the panel shows: every socket of the inspected tab and its messages.
//
// Messages arrive twice by design (a replay after each subscribe overlaps the
// live batches), so a message is kept only if its seq is above the highest seq
// already taken from its shim instance. Those high-water marks are what the
// panel sends as `since` when it subscribes.
//
// The messages themselves are in one MessageLog (columns, a million messages, full
// payloads within a byte budget); each socket keeps the indices of its own.
//
// Components read the store through signals, each for one concern (the list
// of sockets, one socket, the counts, the log as a whole), published together
// once per update: a component re-renders only when what it reads changed.
import { batch, signal, type ReadonlySignal, type Signal } from '@preact/signals';
import type { Handshake, PanelEvents, WireWorker } from '../../shim/wire/messages';
import type { SocketInfo, WireBatch, WireMessage, WireSample } from '../../shim/wire/records';
import { IndexBuffer } from './index-buffer';
import { HANDSHAKES_KEPT } from './handshakes';
import { MESSAGE_LOG_LIMITS, MessageLog, type MessageLogLimits, type LoggedMessage } from './message-log';
import { nextUpdate } from './next-update';
import { SampleSeries } from './series';

export interface LogLimits extends MessageLogLimits {
  sockets: number;
}

export const LOG_LIMITS: LogLimits = { ...MESSAGE_LOG_LIMITS, sockets: 10_000 };
/** Sockets whose samples are kept (five minutes each): those sampled most recently. */
const MAX_SERIES = 200;

export interface SocketEntry {
  /** `${instance}:${info.id}`: socket ids are unique only within one shim instance. */
  readonly key: string;
  readonly instance: string;
  /** The frame (document) the socket lives in; 0 is the top document. */
  readonly frameId: number;
  /** The shim's latest view; its counters are authoritative. */
  readonly info: SocketInfo;
  /** Held messages, oldest first. */
  readonly messages: MessageList;
  /** Messages of this socket the panel dropped to stay within its limits. */
  readonly dropped: number;
  /** Messages of this socket whose payload crossed from the page cut: a preview (the page's traffic outran the relay's budget) or the first 1 MiB. */
  readonly cut: number;
  /** Messages of this socket the user cleared from the log. */
  readonly cleared: number;
  /** The socket's number in the message log (`messageLog.socketOf`). */
  readonly number: number;
  /** The page (top-level document) it was seen in, counted from 0; below `LogStore.page`: before a reload or navigation. */
  readonly page: number;
  /** Its traffic and shaping over time, once the shim sampled it with this panel listening. */
  readonly samples: SampleSeries | null;
  /** Increases at each update that changed the socket (its info, messages, samples): what shows it reads this. */
  readonly version: ReadonlySignal<number>;
}

/** What the toolbar counts. */
export interface LogCounts {
  sockets: number;
  messages: number;
  /** Messages dropped to stay within the limits since the log was last cleared. */
  dropped: number;
  /** Messages held whose payload was let go to stay within the byte budget. */
  previewsOnly: number;
}

/** A socket's messages, read from the log by position, oldest first. */
export interface MessageList {
  readonly length: number;
  at(position: number): LoggedMessage | undefined;
  /** The position of the message with this log index, or -1. */
  positionOf(index: number): number;
}

/** Where `index` is among `length` log indices in increasing order, read by `indexAt`; -1 if absent. */
export function searchIndex(length: number, indexAt: (position: number) => number, index: number): number {
  let low = 0;
  let high = length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const found = indexAt(middle);
    if (found === index) return middle;
    if (found < index) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
}

/** The workers one realm (a shim instance) started, as it last said: oldest first, `more` earlier ones not listed. */
export interface StartedWorkerList {
  instance: string;
  /** The document the realm belongs to (a worker's: its document's). */
  frameId: number;
  workers: readonly WireWorker[];
  more: number;
}

/** What a document's shim said, as the store takes it: its hello, or its batch read and checked. */
export type PageReport = ({ type: 'hello' } & PanelEvents['hello']) | ({ type: 'batch'; instance: string; frameId: number } & WireBatch);

class SocketMessages implements MessageList {
  /** Log indices of the socket's messages, from `head` on still held. */
  private readonly indices = new IndexBuffer();
  private head = 0;

  constructor(private readonly log: MessageLog) {}

  get length(): number {
    return this.indices.length - this.head;
  }

  at(position: number): LoggedMessage | undefined {
    return position >= 0 && position < this.length ? this.log.get(this.indices.at(this.head + position)) : undefined;
  }

  positionOf(index: number): number {
    return searchIndex(this.length, (position) => this.indices.at(this.head + position), index);
  }

  push(index: number): void {
    this.indices.push(index);
  }

  /** Lets the oldest go; the buffer is compacted once half of it is let go, so each costs O(1) on average. */
  shift(): void {
    this.head++;
    if (this.head >= 1024 && this.head * 2 >= this.indices.length) {
      this.indices.dropFirst(this.head);
      this.head = 0;
    }
  }
}

interface Entry extends SocketEntry {
  info: SocketInfo;
  samples: SampleSeries | null;
  readonly messages: SocketMessages;
  dropped: number;
  cut: number;
  readonly version: Signal<number>;
  /** Changed since the last update. */
  touched: boolean;
  /** Its page navigated away while the log was preserved: it is shown closed, whatever the shim last said. */
  pageGone: boolean;
}

const socketKey = (instance: string, id: number): string => `${instance}:${id}`;

const sameCounts = (a: LogCounts, b: LogCounts): boolean =>
  a.sockets === b.sockets && a.messages === b.messages && a.dropped === b.dropped && a.previewsOnly === b.previewsOnly;

/** Changes whenever a socket does something a user could see. */
const activity = (info: SocketInfo): string => `${info.readyState}/${info.sent}/${info.received}/${info.error}`;
const exchanged = (info: SocketInfo): number => info.sent + info.received;

/** Shared and service workers outlive the page that used them; a document's sockets and its dedicated workers' do not. */
const outlivesPage = (info: SocketInfo): boolean => info.worker === 'shared' || info.worker === 'service';

/** A socket whose page went away: the browser closed it with the page, which heard nothing of it, so its shim never said. */
const closedWithPage = (info: SocketInfo): SocketInfo => (info.readyState === 3 ? info : { ...info, readyState: 3 });

export class LogStore {
  private readonly entries = new Map<string, Entry>();
  private list: readonly SocketEntry[] | null = null;
  private readonly log: MessageLog;
  /** Entries by their number in the log; a removed socket's messages stay in the log, owned by none. */
  private readonly numbered = new Map<number, Entry>();
  private nextNumber = 0;
  private readonly highSeq = new Map<string, number>();
  /** Entries with samples, least recently sampled first. */
  private readonly sampled = new Set<Entry>();
  /** Sockets whose messages were cleared: their activity then (a socket that stays as it was is not listed again), and their messages. */
  private readonly cleared = new Map<string, { activity: string; messages: number }>();
  private topInstance: string | null = null;
  /** Messages held by sockets still listed. */
  private messagesHeld = 0;
  private droppedMessages = 0;
  private readonly revision = signal(0);
  private readonly listeners = new Set<() => void>();
  private notifyScheduled = false;
  /** Entries changed since the last update. */
  private readonly touched: Entry[] = [];
  private readonly listed = signal<readonly SocketEntry[]>([]);
  private readonly counted = signal<LogCounts>({ sockets: 0, messages: 0, dropped: 0, previewsOnly: 0 });
  private readonly updated = signal(0);
  private readonly preserving = signal(false);
  private readonly pageNumber = signal(0);
  /** Socket handshakes the network saw, by request id, oldest first (see ./handshakes.ts); published with each update. */
  private readonly handshakeLog = new Map<string, Handshake>();
  private handshakesChanged = false;
  private readonly seenHandshakes = signal<ReadonlyMap<string, Handshake>>(new Map());
  /** Per realm, the workers it started (see startedWorkers). */
  private readonly workerLists = signal<ReadonlyMap<string, StartedWorkerList>>(new Map());
  /** Per frame, the shim instance of the document it shows, as its hello said: a new one means the frame navigated. */
  private readonly frameDocuments = new Map<number, string>();

  constructor(
    private readonly limits: LogLimits = LOG_LIMITS,
    private readonly schedule: (run: () => void) => void = nextUpdate,
  ) {
    this.log = new MessageLog(limits);
  }

  /** Increases on every change; listeners hear about changes at most once per `schedule` tick. */
  get version(): number {
    return this.revision.peek();
  }

  /** The version as a signal, changed as soon as the store is: what keeps its own index of the log in step reads it. */
  get changes(): ReadonlySignal<number> {
    return this.revision;
  }

  /** The sockets as of the latest update, in the order they were first seen: changes when one comes or goes. */
  get socketList(): ReadonlySignal<readonly SocketEntry[]> {
    return this.listed;
  }

  /**
   * The socket's messages this log never had and never will: the page let them go (past what it keeps)
   * before they reached the panel. What the log holds, dropped and was cleared of, and these, add up to
   * what the page exchanged. 0 while some of the socket's messages are still on their way (the page
   * says which was its latest, and messages arrive in order).
   */
  notKept(entry: SocketEntry): number {
    // Once its page went, nothing more is on its way: what it lacks now was lost.
    if (!this.entries.get(entry.key)?.pageGone && (this.highSeq.get(entry.instance) ?? 0) < entry.info.lastSeq) return 0;
    return Math.max(0, exchanged(entry.info) - entry.messages.length - entry.dropped - entry.cleared);
  }

  /** The counts as of the latest update. */
  get counts(): ReadonlySignal<LogCounts> {
    return this.counted;
  }

  /** The version as of the latest update: what shows the messages of every socket reads it. */
  get updates(): ReadonlySignal<number> {
    return this.updated;
  }

  /** Keep the log when the page reloads or navigates. */
  get preserve(): boolean {
    return this.preserving.value;
  }

  set preserve(preserve: boolean) {
    this.preserving.value = preserve;
  }

  /** Top-level documents seen while preserving, from 0: the current one's number. */
  get page(): number {
    return this.pageNumber.value;
  }

  get messageCount(): number {
    return this.messagesHeld;
  }

  /** Every message held, of every socket. */
  get messageLog(): MessageLog {
    return this.log;
  }

  /** Messages dropped to stay within the limits since the log was last cleared. */
  get dropped(): number {
    return this.droppedMessages;
  }

  /** Messages held that kept only their preview, their payload dropped to stay within the byte budget. */
  get previewsOnly(): number {
    return this.log.previewOnly;
  }

  /** Sockets in the order they were first seen. */
  sockets(): readonly SocketEntry[] {
    return (this.list ??= [...this.entries.values()]);
  }

  socket(key: string): SocketEntry | undefined {
    return this.entries.get(key);
  }

  /** The socket a logged message belongs to (its `socket` number), if it is still listed. */
  socketByNumber(number: number): SocketEntry | undefined {
    return this.numbered.get(number);
  }

  /** Highest message seq held per shim instance: the `since` of a subscribe. */
  since(): Record<string, number> {
    return Object.fromEntries(this.highSeq);
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  receive(report: PageReport): void {
    if (report.type === 'batch') this.batch(report.instance, report.frameId, report.sockets, report.messages, report.samples);
    // A worker's shim is no document: it never starts a new page.
    else if (report.worker === null) this.hello(report.instance, report.frameId);
  }

  /** The socket handshakes the network saw, oldest first: those of the sockets listed, and of sockets no shim reported. */
  get handshakes(): ReadonlySignal<ReadonlyMap<string, Handshake>> {
    return this.seenHandshakes;
  }

  /** A handshake, new or changed; the oldest goes past HANDSHAKES_KEPT. Shown with the next update, as sockets are: a page opening many sockets re-renders what reads them a few times a second, not once per socket. */
  handshake(handshake: Handshake): void {
    this.handshakeLog.set(handshake.requestId, handshake);
    if (this.handshakeLog.size > HANDSHAKES_KEPT) this.handshakeLog.delete(this.handshakeLog.keys().next().value as string);
    this.handshakesChanged = true;
    this.changed();
  }

  /** Per realm (shim instance), the workers it started: those of the documents the tab shows now. */
  get workers(): ReadonlySignal<ReadonlyMap<string, StartedWorkerList>> {
    return this.workerLists;
  }

  /** A realm's list of the workers it started, which replaces the one it sent before. */
  startedWorkers(list: StartedWorkerList): void {
    this.workerLists.value = new Map(this.workerLists.peek()).set(list.instance, list);
  }

  /**
   * A document said hello in a frame: unless it only reconnected, the workers
   * of the realms of that frame (of every frame, for the top one) went with the
   * document before, whatever the log keeps; the lists of realms still there
   * come again, as every realm tells its list when the panel subscribes, which
   * it does on each hello. The log's "clear" leaves the lists: they are what runs, not what happened.
   */
  private documentIn(frameId: number, instance: string): void {
    if (this.frameDocuments.get(frameId) === instance) return;
    this.frameDocuments.set(frameId, instance);
    if (frameId === 0) for (const frame of this.frameDocuments.keys()) if (frame !== 0) this.frameDocuments.delete(frame);
    const lists = new Map(this.workerLists.peek());
    for (const [realm, list] of lists) if (frameId === 0 || list.frameId === frameId) lists.delete(realm);
    this.workerLists.value = lists;
  }

  /** Empties the log. The seq marks stay, so the next replay does not bring cleared messages back. */
  clear(): void {
    for (const entry of this.entries.values()) this.cleared.set(entry.key, { activity: activity(entry.info), messages: exchanged(entry.info) });
    // Oldest first: forget the longest-cleared sockets beyond the socket limit.
    for (const key of this.cleared.keys()) {
      if (this.cleared.size <= this.limits.sockets) break;
      this.cleared.delete(key);
    }
    this.empty();
  }

  /**
   * A new document in the top frame means the page navigated: start over, like
   * the Network panel without "preserve log". The same instance saying hello
   * again only reconnected (the background restarted).
   */
  private hello(instance: string, frameId: number): void {
    this.documentIn(frameId, instance);
    if (frameId !== 0) return;
    if (this.topInstance !== null && this.topInstance !== instance) {
      if (this.preserving.peek()) {
        // Kept, as the Network panel's "Preserve log" keeps requests: marked as from an earlier page.
        this.pageNumber.value++;
        for (const entry of this.entries.values()) {
          if (entry.pageGone || outlivesPage(entry.info)) continue;
          entry.pageGone = true;
          entry.info = closedWithPage(entry.info);
          this.touch(entry);
        }
        this.changed();
      } else {
        this.highSeq.clear();
        this.cleared.clear();
        this.empty();
      }
    }
    this.topInstance = instance;
  }

  private batch(instance: string, frameId: number, sockets: SocketInfo[], messages: WireMessage[], samples: WireSample[]): void {
    // A panel opened late hears no hello until the background restarts: learn the top document from its data.
    if (frameId === 0 && sockets.some((info) => info.worker === null)) this.topInstance ??= instance;
    for (const info of sockets) this.upsert(instance, frameId, info);
    let high = this.highSeq.get(instance) ?? 0;
    for (const message of messages) {
      const [seq, socketId] = message;
      if (seq <= high) continue;
      high = seq;
      const entry = this.entries.get(socketKey(instance, socketId));
      if (entry) this.append(entry, message);
    }
    this.highSeq.set(instance, high);
    for (const sample of samples) {
      const entry = this.entries.get(socketKey(instance, sample[0]));
      if (entry) this.addSample(entry, sample);
    }
    if (sockets.length > 0 || messages.length > 0 || samples.length > 0) this.changed();
  }

  private addSample(entry: Entry, sample: WireSample): void {
    entry.samples ??= new SampleSeries();
    entry.samples.push(sample);
    this.touch(entry);
    this.sampled.delete(entry);
    this.sampled.add(entry);
    if (this.sampled.size <= MAX_SERIES) return;
    const oldest = this.sampled.values().next().value as Entry;
    oldest.samples = null;
    this.touch(oldest);
    this.sampled.delete(oldest);
  }

  private upsert(instance: string, frameId: number, info: SocketInfo): void {
    const key = socketKey(instance, info.id);
    const known = this.entries.get(key);
    if (known) {
      known.info = known.pageGone ? closedWithPage(info) : info;
      this.touch(known);
      return;
    }
    const before = this.cleared.get(key);
    if (before !== undefined) {
      if (before.activity === activity(info)) return;
      this.cleared.delete(key);
    }
    const entry: Entry = {
      key,
      instance,
      frameId,
      info,
      number: this.nextNumber++,
      page: this.pageNumber.peek(),
      messages: new SocketMessages(this.log),
      dropped: 0,
      cut: 0,
      cleared: before?.messages ?? 0,
      samples: null,
      version: signal(0),
      touched: false,
      pageGone: false,
    };
    this.entries.set(key, entry);
    this.numbered.set(entry.number, entry);
    this.list = null;
    if (this.entries.size > this.limits.sockets) this.remove(this.oldestSocket());
  }

  /** The socket to forget first: the oldest closed one, else the oldest. */
  private oldestSocket(): Entry {
    for (const entry of this.entries.values()) if (entry.info.readyState === 3) return entry;
    return this.entries.values().next().value as Entry;
  }

  private remove(entry: Entry): void {
    this.entries.delete(entry.key);
    this.numbered.delete(entry.number);
    this.sampled.delete(entry);
    this.list = null;
    this.messagesHeld -= entry.messages.length;
    this.droppedMessages += entry.messages.length;
  }

  private append(entry: Entry, message: WireMessage): void {
    // The log is full: its oldest message goes, and with it the first of its socket's.
    if (this.log.length === this.limits.messages) {
      const owner = this.numbered.get(this.log.socketOf(this.log.first));
      if (owner) {
        owner.messages.shift();
        owner.dropped++;
        this.touch(owner);
        this.messagesHeld--;
        this.droppedMessages++;
      }
    }
    entry.messages.push(this.log.push(message, entry.number));
    if (message[6]) entry.cut++;
    this.messagesHeld++;
    this.touch(entry);
  }

  /** Hot path (every message): a flag, so that a busy socket is listed once per update. */
  private touch(entry: Entry): void {
    if (entry.touched) return;
    entry.touched = true;
    this.touched.push(entry);
  }

  private empty(): void {
    this.handshakeLog.clear();
    this.handshakesChanged = true;
    this.entries.clear();
    this.numbered.clear();
    this.sampled.clear();
    this.list = null;
    this.log.clear();
    this.messagesHeld = 0;
    this.droppedMessages = 0;
    this.changed();
  }

  private changed(): void {
    this.revision.value++;
    if (this.notifyScheduled) return;
    this.notifyScheduled = true;
    this.schedule(() => {
      this.notifyScheduled = false;
      for (const listener of this.listeners) listener();
      this.publish();
    });
  }

  /** One batch: each component that reads what changed re-renders once. */
  private publish(): void {
    batch(() => {
      for (const entry of this.touched) {
        entry.touched = false;
        entry.version.value++;
      }
      this.touched.length = 0;
      this.listed.value = this.sockets();
      if (this.handshakesChanged) this.seenHandshakes.value = new Map(this.handshakeLog);
      this.handshakesChanged = false;
      const counts: LogCounts = { sockets: this.entries.size, messages: this.messagesHeld, dropped: this.droppedMessages, previewsOnly: this.log.previewOnly };
      if (!sameCounts(counts, this.counted.peek())) this.counted.value = counts;
      this.updated.value = this.revision.peek();
    });
  }
}
