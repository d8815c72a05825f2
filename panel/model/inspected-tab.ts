// The inspected tab as the panel sees it: the state of its connection and its
// shaping rules, as signals the toolbar and the shaping views read, and the
// commands the panel sends it.
import { signal, type ReadonlySignal } from '@preact/signals';
import type { ConsumerAction, PanelRule } from '../../shim/wire/messages';
import { connectPanel, type ConnectionStatus, type PanelConnection, type PanelPort } from './connection';
import type { LogStore, SocketEntry } from './store';

export class InspectedTab {
  private readonly connectionStatus = signal<ConnectionStatus>('connecting');
  private readonly tabRules = signal<PanelRule[]>([]);
  private connection: PanelConnection | null = null;

  constructor(readonly tabId: number) {}

  get status(): ReadonlySignal<ConnectionStatus> {
    return this.connectionStatus;
  }

  /** The tab's shaping rules, as the background holds them. */
  get rules(): ReadonlySignal<PanelRule[]> {
    return this.tabRules;
  }

  /** Fills the store from the tab until the returned function is called. */
  connect(store: LogStore, openPort: () => PanelPort): () => void {
    const opened = connectPanel({
      tabId: this.tabId,
      store,
      openPort,
      onStatus: (status) => (this.connectionStatus.value = status),
      onRules: (rules) => (this.tabRules.value = rules),
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
}
