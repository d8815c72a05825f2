// The Playwright helper as a user imports it from the package: rules given at
// install apply from the first frame of the page; the test drives the
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
