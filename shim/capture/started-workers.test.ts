import { describe, expect, it, vi } from 'vitest';
import { WORKER_URL_CHARS, WORKERS_LISTED } from '../wire/messages';
import { startedWorkers } from './started-workers';

describe('startedWorkers', () => {
  it('records each worker unknown until it is heard from, and says when the list changes', () => {
    const list = startedWorkers();
    list.onChange = vi.fn();
    const first = list.started('dedicated', '/a.js');
    list.started('shared', new URL('https://example.test/b.js?x'));
    first('captured');
    expect(list.onChange).toHaveBeenCalledTimes(3);
    expect(list.wire('abc')).toEqual({
      instance: 'abc',
      workers: [
        { kind: 'dedicated', url: '/a.js', status: 'captured' },
        { kind: 'shared', url: 'https://example.test/b.js?x', status: 'unknown' },
      ],
      more: 0,
    });
  });

  it("reads a URL through the native getter, and calls none of the page's code to stringify anything else", () => {
    const list = startedWorkers();
    const url = new URL('https://example.test/c.js');
    const toString = vi.fn(() => 'forged');
    Object.defineProperty(url, 'href', { get: toString });
    Object.defineProperty(url, 'toString', { value: toString });
    list.started('dedicated', url);
    list.started('dedicated', { toString });
    list.started('dedicated', undefined);
    expect(list.wire('abc').workers.map((worker) => worker.url)).toEqual(['https://example.test/c.js', null, null]);
    expect(toString).not.toHaveBeenCalled();
  });

  it('keeps the latest WORKERS_LISTED, counting the earlier ones, and cuts long URLs', () => {
    const list = startedWorkers();
    const late = [];
    for (let i = 0; i < WORKERS_LISTED + 2; i++) late.push(list.started('dedicated', `/${i}.js`));
    late[0]('not-captured'); // dropped already: changes nothing listed
    late[WORKERS_LISTED + 1]('not-captured');
    const wire = list.wire('abc');
    expect(wire.more).toBe(2);
    expect(wire.workers).toHaveLength(WORKERS_LISTED);
    expect(wire.workers[0].url).toBe('/2.js');
    expect(wire.workers.at(-1)).toEqual({ kind: 'dedicated', url: `/${WORKERS_LISTED + 1}.js`, status: 'not-captured' });
    list.started('dedicated', 'x'.repeat(WORKER_URL_CHARS - 1) + '😀');
    expect(list.wire('abc').workers.at(-1)!.url).toBe('x'.repeat(WORKER_URL_CHARS - 1) + '\ufffd');
  });

  it('gives a copy: a later change is not in a list told before', () => {
    const list = startedWorkers();
    const status = list.started('shared', '/s.js');
    const told = list.wire('abc');
    status('not-captured');
    expect(told.workers[0].status).toBe('unknown');
  });
});
