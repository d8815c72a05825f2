import { describe, expect, it } from 'vitest';
import { History, type Entry } from './history';

const after = (history: History, seq: number): Entry[] => {
  const out: Entry[] = [];
  history.forEachAfter(seq, (entry) => (out.push(entry), true));
  return out;
};

let seq = 0;
const entry = (socketId: number, size = 10): Entry => ({
  seq: ++seq,
  socketId,
  direction: 'receive',
  type: 'text',
  size,
  time: 0,
  payload: 'x'.repeat(size),
  weight: size,
  cut: false,
  mark: null,
  original: null,
  evicted: false,
});

function setup(messagesPerSocket: number, bytes: number) {
  const evicted: Entry[] = [];
  const history = new History({ messagesPerSocket, bytes }, (e) => evicted.push(e));
  return { history, evicted };
}

describe('History', () => {
  it('keeps at most messagesPerSocket messages per socket, dropping the oldest of that socket', () => {
    const { history, evicted } = setup(3, 1e9);
    const a = [entry(1), entry(1), entry(1)];
    const b = entry(2);
    history.add(a[0]);
    history.add(b);
    history.add(a[1]);
    history.add(a[2]);
    const a4 = entry(1);
    history.add(a4);
    expect(evicted).toEqual([a[0]]);
    expect(history.entries(1)).toEqual([a[1], a[2], a4]);
    expect(history.entries(2)).toEqual([b]);
    expect(history.entries()).toEqual([b, a[1], a[2], a4]);
  });

  it('drops the oldest messages page-wide past the byte budget', () => {
    const { history, evicted } = setup(1000, 25);
    const [x, y, z] = [entry(1), entry(2), entry(1)];
    history.add(x);
    history.add(y);
    expect(evicted).toEqual([]);
    history.add(z);
    expect(evicted).toEqual([x]);
    expect(history.byteSize).toBe(20);
    expect(history.entries()).toEqual([y, z]);
    expect(history.entries(1)).toEqual([z]);
  });

  it('does not keep a message larger than the whole budget', () => {
    const { history, evicted } = setup(1000, 25);
    const big = entry(1, 100);
    history.add(big);
    expect(evicted).toEqual([big]);
    expect(history.entries()).toEqual([]);
    expect(history.byteSize).toBe(0);
  });

  it('replays the messages after a seq, in order, skipping evicted ones', () => {
    const { history } = setup(2, 1e9);
    const messages = [entry(1), entry(2), entry(1), entry(1), entry(2)];
    for (const f of messages) history.add(f);
    expect(after(history, 0)).toEqual([messages[1], messages[2], messages[3], messages[4]]);
    expect(after(history, messages[2].seq)).toEqual([messages[3], messages[4]]);
    expect(after(history, messages[4].seq)).toEqual([]);
  });

  it('stays bounded in memory under a long stream on one socket', () => {
    const { history, evicted } = setup(1000, 1e9);
    const n = 200_000;
    for (let i = 0; i < n; i++) history.add(entry(1, 1));
    expect(history.entries(1)).toHaveLength(1000);
    expect(evicted).toHaveLength(n - 1000);
    expect(history.entries()).toHaveLength(1000);
    expect(after(history, 0)).toHaveLength(1000);
  });

  it('forgets a socket with its messages', () => {
    const { history } = setup(1000, 1e9);
    const [x, y] = [entry(1), entry(2)];
    history.add(x);
    history.add(y);
    history.removeSocket(1);
    expect(history.entries()).toEqual([y]);
    expect(history.byteSize).toBe(10);
  });
});
