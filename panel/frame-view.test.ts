import { describe, expect, test } from 'vitest';
import { FrameLog } from './frame-log';
import { FrameView } from './frame-view';

function logOfSockets(sockets: number[]): FrameLog {
  const log = new FrameLog({ frames: 100, payloadBytes: 1000, previewChars: 50 });
  sockets.forEach((socket, seq) => log.push({ seq, socketId: socket, direction: 'send', type: 'text', size: 1, data: `s${socket}-${seq}`, truncated: false, time: seq }, socket));
  return log;
}

const dataOf = (view: FrameView) => Array.from({ length: view.length }, (_, i) => view.at(i)?.data);

describe('FrameView', () => {
  test("one socket's frames, or every socket's", () => {
    const log = logOfSockets([0, 1, 0, 2]);
    expect(dataOf(new FrameView(log, 0, () => true))).toEqual(['s0-0', 's0-2']);
    expect(dataOf(new FrameView(log, null, () => true))).toEqual(['s0-0', 's1-1', 's0-2', 's2-3']);
  });

  test('tests only what arrived since, and forgets what the log let go', () => {
    const log = new FrameLog({ frames: 3, payloadBytes: 1000, previewChars: 50 });
    const push = (seq: number, socket: number) => log.push({ seq, socketId: socket, direction: 'send', type: 'text', size: 1, data: `s${socket}-${seq}`, truncated: false, time: seq }, socket);
    push(0, 0);
    push(1, 1);
    let tested = 0;
    const view = new FrameView(log, null, () => (tested++, true));
    expect(tested).toBe(2);
    push(2, 0);
    push(3, 1);
    view.refresh();
    expect(tested).toBe(4);
    expect(dataOf(view)).toEqual(['s1-1', 's0-2', 's1-3']);
    expect(view.positionOf(log.next - 1)).toBe(2);
  });
});
