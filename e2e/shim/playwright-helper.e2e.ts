// The Playwright helper as a user imports it from the package: rules given at
// install apply from the first message of the page; the test drives the
// consumer and reads stats. (The same test is the README's example.)
import { expect, test } from 'vitest';
import { sockscope } from 'sockscope/playwright';
import { HOSTS } from '../conformance/server';
import { useChromium, useConformanceServer } from '../fixtures';

const server = useConformanceServer();
const chromium = useChromium();

test('rules from install time slow the first message; the test pauses and steps the consumer', async () => {
  const page = await chromium().context.newPage();
  const scope = await sockscope(page, { rules: [{ match: /\/greet/, down: { latencyMs: 300 } }] });
  await page.goto(`${server().pageOrigin(HOSTS.standalone)}/page.html`);

  const delay = await page.evaluate(async (url) => {
    const ws = new WebSocket(url);
    (globalThis as unknown as { ws: WebSocket }).ws = ws;
    await new Promise((resolve) => ws.addEventListener('open', resolve));
    const opened = performance.now();
    await new Promise((resolve) => ws.addEventListener('message', resolve, { once: true }));
    return performance.now() - opened;
  }, `${server().socketOrigin}/greet?text=hello`);
  expect(delay).toBeGreaterThanOrEqual(280);

  const socket = await scope.socket('/greet');
  const consumer = scope.consumer(socket.id);
  await consumer.pause();
  await page.evaluate(() => {
    const ws = (globalThis as unknown as { ws: WebSocket }).ws;
    const got: string[] = [];
    (globalThis as unknown as { got: string[] }).got = got;
    ws.addEventListener('message', (event) => got.push(event.data as string));
    ws.send('one');
    ws.send('two');
  });
  await expect.poll(async () => (await scope.stats(socket.id)).consumer.heldMessages).toBe(2);
  expect(await page.evaluate(() => (globalThis as unknown as { got: string[] }).got)).toEqual([]);
  await consumer.step();
  expect(await page.evaluate(() => (globalThis as unknown as { got: string[] }).got)).toEqual(['one']);
  await consumer.resume();
  expect(await page.evaluate(() => (globalThis as unknown as { got: string[] }).got)).toEqual(['one', 'two']);

  await expect(scope.shape({ match: 'x', down: { latencyMs: -1 } })).rejects.toThrow('down.latencyMs must not be negative');
  await page.close();
});

test('messages() reads what the sockets sent and received, of one socket or all; frames() is its older name', async () => {
  const page = await chromium().context.newPage();
  const scope = await sockscope(page);
  await page.goto(`${server().pageOrigin(HOSTS.standalone)}/page.html`);
  await page.evaluate(async (origin) => {
    // Each socket: its greeting, then the echo of what the page sends.
    const exchange = (name: string) =>
      new Promise<void>((resolve) => {
        const ws = new WebSocket(`${origin}/greet?text=hello-${name}`);
        let received = 0;
        ws.onmessage = () => ++received === 2 && resolve();
        ws.onopen = () => ws.send(`ping-${name}`);
      });
    await exchange('a');
    await exchange('b');
  }, server().socketOrigin);
  const a = await scope.socket('hello-a');
  const b = await scope.socket('hello-b');

  const all = await scope.messages();
  expect(all.map((m) => [m.socketId, m.direction, m.type, m.data])).toEqual([
    [a.id, 'send', 'text', 'ping-a'],
    [a.id, 'receive', 'text', 'hello-a'],
    [a.id, 'receive', 'text', 'ping-a'],
    [b.id, 'send', 'text', 'ping-b'],
    [b.id, 'receive', 'text', 'hello-b'],
    [b.id, 'receive', 'text', 'ping-b'],
  ]);
  expect((await scope.messages(b.id)).map((m) => m.data)).toEqual(['ping-b', 'hello-b', 'ping-b']);
  expect(await scope.frames()).toEqual(all);
  expect(await scope.frames(b.id)).toEqual(await scope.messages(b.id));
  await page.close();
});
