import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { WIRE_VERSION, type PanelCommand, type PanelEvent, type PanelRule } from '../../shim/wire/messages';
import { connectPanel, RECONNECT_MS, type ConnectionStatus, type PanelPort } from './connection';
import { LogStore } from './store';

class FakeEvent<T extends (...args: never[]) => void> {
  readonly listeners = new Set<T>();
  addListener(listener: T): void {
    this.listeners.add(listener);
  }
  removeListener(listener: T): void {
    this.listeners.delete(listener);
  }
  emit(...args: Parameters<T>): void {
    for (const listener of [...this.listeners]) listener(...args);
  }
}

class FakePort implements PanelPort {
  readonly sent: PanelCommand[] = [];
  readonly onMessage = new FakeEvent<(message: unknown) => void>();
  readonly onDisconnect = new FakeEvent<() => void>();
  disconnected = false;
  postMessage(message: PanelCommand): void {
    this.sent.push(structuredClone(message));
  }
  disconnect(): void {
    this.disconnected = true;
  }
}

const hello = (instance: string): PanelEvent => ({ v: WIRE_VERSION, type: 'hello', instance, worker: null, farewell: 'sockscope-farewell-x1', frameId: 0 });

const messageBatch = (instance: string, seq: number): PanelEvent => ({
  v: WIRE_VERSION,
  type: 'batch',
  instance,
  frameId: 0,
  body: JSON.stringify({
    sockets: [
      {
        id: 1, kind: 'WebSocket', provided: false, overStream: false, shaped: false, url: 'wss://x.test/', protocols: [], frameUrl: 'https://x.test/', worker: null, readyState: 1, protocol: '',
        extensions: '', createdAt: 0, openedAt: 0, closedAt: null, error: false, closeCode: null, closeReason: '', wasClean: null,
        sent: 0, received: seq, sentBytes: 0, receivedBytes: seq, dropped: 0, lastSeq: 0,
      },
    ],
    messages: [[seq, 1, 'receive', 'text', 1, 'x', false, 0]],
    samples: [],
  }),
});

function setup(openPort?: () => PanelPort) {
  const ports: FakePort[] = [];
  const statuses: ConnectionStatus[] = [];
  const rules: PanelRule[][] = [];
  const refusals: unknown[] = [];
  const store = new LogStore(undefined, () => {});
  const connection = connectPanel({
    tabId: 7,
    store,
    onRules: (received) => rules.push(received),
    onRefused: (refusal) => refusals.push(refusal),
    openPort:
      openPort ??
      (() => {
        const port = new FakePort();
        ports.push(port);
        return port;
      }),
    onStatus: (status) => statuses.push(status),
  });
  return { ports, statuses, store, connection, rules, refusals };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('connectPanel', () => {
  test("sends the user's send, inject and close as commands, and hands on a shim's refusal", () => {
    const { ports, connection, refusals } = setup();
    expect(connection.talk('inject', { instance: 'abc', socketId: 1, data: { base64: 'AAE=' } })).toBe(true);
    expect(connection.talk('close', { instance: 'abc', socketId: 1, code: 4001, reason: 'bye' })).toBe(true);
    expect(ports[0].sent.slice(-2)).toEqual([
      { v: WIRE_VERSION, type: 'inject', instance: 'abc', socketId: 1, data: { base64: 'AAE=' } },
      { v: WIRE_VERSION, type: 'close', instance: 'abc', socketId: 1, code: 4001, reason: 'bye' },
    ]);
    const refused = { v: WIRE_VERSION, type: 'refused', instance: 'abc', socketId: 1, action: 'send', reason: 'send: socket 1 is not open', frameId: 0 };
    ports[0].onMessage.emit(refused);
    expect(refusals).toEqual([refused]);
  });

  test('attaches to the tab, then subscribes with what the store holds', () => {
    const { ports, statuses } = setup();
    expect(ports[0].sent).toEqual([
      { v: WIRE_VERSION, type: 'attach', tabId: 7 },
      { v: WIRE_VERSION, type: 'subscribe', since: {} },
    ]);
    expect(statuses).toEqual(['live']);
  });

  test('feeds the store and re-subscribes on every hello', () => {
    const { ports, store } = setup();
    const port = ports[0];
    port.onMessage.emit(messageBatch('a', 3));
    expect(store.messageCount).toBe(1);
    port.onMessage.emit(hello('a'));
    expect(port.sent.at(-1)).toEqual({ v: WIRE_VERSION, type: 'subscribe', since: { a: 3 } });
  });

  test('hands on the rules the background holds, and sends the panel\'s', () => {
    const { ports, connection, rules } = setup();
    const rule = { rule: { match: 'x', offline: 'stall' }, instance: null, label: 'Stalled' };
    ports[0].onMessage.emit({ v: WIRE_VERSION, type: 'shape', rules: [rule] });
    expect(rules).toEqual([[rule]]);
    expect(connection.shape([])).toBe(true);
    expect(ports[0].sent.at(-1)).toEqual({ v: WIRE_VERSION, type: 'shape', rules: [] });
    ports[0].onMessage.emit({ v: WIRE_VERSION, type: 'shape', rules: 'not a list' });
    ports[0].onMessage.emit({ v: WIRE_VERSION, type: 'shape', rules: [{ rule: {}, instance: '<b>', label: '' }] });
    expect(rules).toHaveLength(1);
  });

  test('sends consumer controls for one socket of one document', () => {
    const { ports, connection } = setup();
    expect(connection.consumer('abc', 3, 'step')).toBe(true);
    expect(ports[0].sent.at(-1)).toEqual({ v: WIRE_VERSION, type: 'consumer', instance: 'abc', socketId: 3, action: 'step' });
  });

  test("hands a realm's workers to the store, with its frame", () => {
    const { ports, store } = setup();
    const workers = [{ kind: 'shared', url: '/s.js', status: 'not-captured' }];
    ports[0].onMessage.emit({ v: WIRE_VERSION, type: 'workers', instance: 'w1', workers, more: 1, frameId: 3 });
    ports[0].onMessage.emit({ v: WIRE_VERSION, type: 'workers', instance: 'w2', workers: [{ kind: 'service', url: null, status: 'unknown' }], more: 0, frameId: 3 });
    expect([...store.workers.value.values()]).toEqual([{ instance: 'w1', frameId: 3, workers, more: 1 }]);
  });

  test('ignores what is not a source message', () => {
    const { ports, store } = setup();
    ports[0].onMessage.emit({ v: 99, type: 'hello', instance: 'a', frameId: 0 });
    ports[0].onMessage.emit({ v: WIRE_VERSION, type: 'batch', instance: 'a', frameId: 0, sockets: 'no' });
    ports[0].onMessage.emit(null);
    expect(ports[0].sent).toHaveLength(2);
    expect(store.version).toBe(0);
  });

  test('reconnects with a bounded backoff, re-attaching and re-subscribing', () => {
    const { ports, statuses } = setup();
    ports[0].onMessage.emit(messageBatch('a', 5));
    ports[0].onDisconnect.emit();
    expect(statuses.at(-1)).toBe('reconnecting');
    expect(ports[0].onMessage.listeners.size).toBe(0);
    vi.advanceTimersByTime(RECONNECT_MS.first - 1);
    expect(ports).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(ports).toHaveLength(2);
    expect(ports[1].sent).toEqual([
      { v: WIRE_VERSION, type: 'attach', tabId: 7 },
      { v: WIRE_VERSION, type: 'subscribe', since: { a: 5 } },
    ]);
    expect(statuses.at(-1)).toBe('live');

    // Repeated failures back off, up to the maximum.
    const delays: number[] = [];
    for (let i = 0; i < 8; i++) {
      ports.at(-1)!.onDisconnect.emit();
      const count = ports.length;
      let waited = 0;
      while (ports.length === count) {
        vi.advanceTimersByTime(10);
        waited += 10;
      }
      delays.push(waited);
    }
    expect(delays).toEqual([100, 200, 400, 800, 1000, 1000, 1000, 1000]);

    // A message proves the link works: the next failure retries quickly again.
    ports.at(-1)!.onMessage.emit(hello('a'));
    ports.at(-1)!.onDisconnect.emit();
    vi.advanceTimersByTime(RECONNECT_MS.first);
    expect(ports.at(-1)!.sent[0]).toEqual({ v: WIRE_VERSION, type: 'attach', tabId: 7 });
  });

  test('reports an orphaned page when the extension context is gone', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { statuses } = setup(() => {
      throw new Error('Extension context invalidated.');
    });
    expect(statuses).toEqual(['orphaned']);
    vi.advanceTimersByTime(10_000);
    expect(statuses).toEqual(['orphaned']);
    expect(warn).toHaveBeenCalledOnce();
    warn.mockRestore();
  });

  test('close() disconnects and stops reconnecting', () => {
    const first = setup();
    first.connection.close();
    expect(first.ports[0].disconnected).toBe(true);
    expect(first.ports[0].onDisconnect.listeners.size).toBe(0);

    const second = setup();
    second.ports[0].onDisconnect.emit();
    second.connection.close();
    vi.advanceTimersByTime(10_000);
    expect(second.ports).toHaveLength(1);
  });
});
