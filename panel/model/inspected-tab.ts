// The inspected tab as the panel sees it: the state of its connection and its
// shaping rules, as signals the toolbar and the shaping views read, the
// commands the panel sends it, the last operation a shim refused, and the
// messages its documents hold at breakpoints.
import { signal, type ReadonlySignal } from '@preact/signals';
import type { ConsumerAction, OwnData, PanelCommands, PanelEvents, PanelRule, SocketCommands, SocketTarget } from '../../shim/wire/messages';
import { connectPanel, type ConnectionStatus, type PanelConnection, type PanelPort, type TalkType } from './connection';
import type { LogStore, SocketEntry } from './store';

export class InspectedTab {
  private readonly connectionStatus = signal<ConnectionStatus>('connecting');
  private readonly tabRules = signal<PanelRule[]>([]);
  private readonly lastRefusal = signal<PanelEvents['refused'] | null>(null);
  private readonly heldLists = signal<Readonly<Record<string, PanelEvents['held']>>>({});
  private connection: PanelConnection | null = null;

  constructor(readonly tabId: number) {}

  get status(): ReadonlySignal<ConnectionStatus> {
    return this.connectionStatus;
  }

  /** The tab's shaping rules, as the background holds them. */
  get rules(): ReadonlySignal<PanelRule[]> {
    return this.tabRules;
  }

  /** The last send, delivery or close a shim refused, with its reason. */
  get refusal(): ReadonlySignal<PanelEvents['refused'] | null> {
    return this.lastRefusal;
  }

  /** Per document (shim instance), the messages its breakpoints hold, as it last said. */
  get held(): ReadonlySignal<Readonly<Record<string, PanelEvents['held']>>> {
    return this.heldLists;
  }

  /** Fills the store from the tab until the returned function is called. */
  connect(store: LogStore, openPort: () => PanelPort): () => void {
    const opened = connectPanel({
      tabId: this.tabId,
      store,
      openPort,
      onStatus: (status) => (this.connectionStatus.value = status),
      onRules: (rules) => (this.tabRules.value = rules),
      onRefused: (refusal) => (this.lastRefusal.value = refusal),
      onHeld: (held) => (this.heldLists.value = { ...this.heldLists.value, [held.instance]: held }),
    });
    this.connection = opened;
    return () => opened.close();
  }

  /** Sets the tab's rules, all of them; unchanged while disconnected. */
  shape(rules: PanelRule[]): void {
    if (this.connection?.shape(rules)) this.tabRules.value = rules;
  }

  /** Drives the page as the consumer of one socket. */
  consumer(entry: SocketEntry, action: ConsumerAction): void {
    this.connection?.consumer(entry.instance, entry.info.id, action);
  }

  /** Lets a message held at a breakpoint go: as it is (`data` null), edited, or dropped; false while disconnected. */
  release(instance: string, id: number, change: { data: OwnData | null; drop: boolean }): boolean {
    return this.connection?.release({ instance, id, ...change }) ?? false;
  }

  /** Sends, delivers or closes on one socket; false while disconnected. A shim's refusal comes later, in `refusal`. */
  talk<K extends TalkType>(entry: SocketEntry, type: K, fields: Omit<SocketCommands[K], keyof SocketTarget>): boolean {
    return this.connection?.talk(type, { ...fields, instance: entry.instance, socketId: entry.info.id } as PanelCommands[K]) ?? false;
  }
}
