// @vitest-environment happy-dom
import { render } from 'preact';
import { expect, test } from 'vitest';
import { LogStore } from '../model/store';
import { UnseenWorkers } from './unseen-workers';

const rows = (root: HTMLElement) => [...root.querySelectorAll('[data-testid=unseen-worker-row]')].map((row) => row.textContent);

test('lists the workers not captured or not heard from, with kind, URL as text and status; not the captured ones', () => {
  const store = new LogStore();
  const root = document.createElement('div');
  render(<UnseenWorkers store={store} />, root);
  expect(root.querySelector('[data-testid=unseen-workers]')).toBeNull();

  store.startedWorkers({
    instance: 'top',
    frameId: 0,
    workers: [
      { kind: 'dedicated', url: '/captured.js', status: 'captured' },
      { kind: 'shared', url: '<img src=x onerror=alert(1)>', status: 'not-captured' },
      { kind: 'dedicated', url: null, status: 'unknown' },
    ],
    more: 4,
  });
  render(<UnseenWorkers store={store} />, root);
  const section = root.querySelector('[data-testid=unseen-workers]')!;
  expect(section.querySelector('h2')!.textContent).toBe('Workers Sockscope does not see (2)');
  expect(section.querySelector('h2')!.getAttribute('title')).toContain('Capture workers');
  expect(rows(root)).toEqual([
    'shared worker<img src=x onerror=alert(1)>not captured',
    'dedicated worker(script URL not given as text)not heard from',
  ]);
  expect(section.querySelector('img')).toBeNull();
  expect(section.textContent).toContain('Older workers not listed: 4');

  store.startedWorkers({ instance: 'top', frameId: 0, workers: [{ kind: 'shared', url: '/s.js', status: 'captured' }], more: 0 });
  render(<UnseenWorkers store={store} />, root);
  expect(root.querySelector('[data-testid=unseen-workers]')).toBeNull();
});
