// The demo server on its own: every endpoint answers as the demo page and the
// tests expect, and close() leaves nothing running.
import { expect, test } from 'vitest';
import WebSocket from 'ws';
import { startDemoServer } from './server';
import { useDemoServer } from '../fixtures';

const server = useDemoServer();

type Message = [data: Buffer, isBinary: boolean];

interface Client {
  ws: WebSocket;
  /** Resolves with the next `count` messages (buffered from the moment of connecting). */
  next(count: number): Promise<Message[]>;
}

/** Connects and buffers every message from the start: /echo greets before `open` resolves. */
function connect(path: string): Promise<Client> {
  const ws = new WebSocket(server().wsUrl + path);
  const queue: Message[] = [];
  let wake = () => {};
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    queue.push([data, isBinary]);
    wake();
  });
  const next = async (count: number): Promise<Message[]> => {
    while (queue.length < count) await new Promise<void>((resolve) => (wake = resolve));
    return queue.splice(0, count);
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, next }));
    ws.once('error', reject);
  });
}

test('serves the demo site on loopback, and nothing outside it', async () => {
  expect(server().url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  const index = await fetch(server().url);
  expect(index.headers.get('content-type')).toContain('text/html');
  expect(await index.text()).toContain('demo.js');
  expect((await fetch(`${server().url}demo.js`)).status).toBe(200);
  expect((await fetch(`${server().url}test.html`)).status).toBe(200);
  expect((await fetch(`${server().url}missing.html`)).status).toBe(404);
  expect((await fetch(`${server().url}..%2f..%2fpackage.json`)).status).toBe(404);
});

test('/echo greets, then echoes text and binary as they came', async () => {
  const { ws, next } = await connect('/echo?greet=hello%20there');
  const [[greeting, greetingBinary]] = (await next(1)) as [Message];
  expect([greeting.toString(), greetingBinary]).toEqual(['hello there', false]);
  ws.send('text');
  ws.send(Buffer.from([1, 2, 3]));
  const [[text, textBinary], [bytes, bytesBinary]] = (await next(2)) as [Message, Message];
  expect([text.toString(), textBinary]).toEqual(['text', false]);
  expect([[...bytes], bytesBinary]).toEqual([[1, 2, 3], true]);
  ws.close();
});

test('/chat echoes to the sender', async () => {
  const { ws, next } = await connect('/chat');
  ws.send('hi');
  const [[reply]] = (await next(1)) as [Message];
  expect(reply.toString()).toBe('hi');
  ws.close();
});

test('/ticker streams JSON quotes, /binary streams headed records', async () => {
  const ticker = await connect('/ticker');
  const quotes = await ticker.next(10);
  const times: number[] = [];
  for (const [data, isBinary] of quotes) {
    expect(isBinary).toBe(false);
    const quote = JSON.parse(data.toString());
    expect(quote).toEqual({ symbol: expect.any(String), price: expect.any(Number), ts: expect.any(Number) });
    times.push(quote.ts);
  }
  // A stream, not a burst: each quote stamped at its own tick, in order (its rate is the demo's, not a test's).
  expect(times).toEqual([...times].sort((a, b) => a - b));
  expect(new Set(times).size).toBeGreaterThan(1);
  ticker.ws.close();

  const binary = await connect('/binary');
  const records = await binary.next(3);
  records.forEach(([data, isBinary], i) => {
    expect(isBinary).toBe(true);
    expect(data.subarray(0, 4).toString('latin1')).toBe('SSBN');
    expect(data.readUInt32BE(4)).toBe(i);
    expect(data.length).toBeGreaterThanOrEqual(16);
  });
  binary.ws.close();
});

test('unknown WebSocket paths are refused', async () => {
  await expect(connect('/nope')).rejects.toThrow(/404/);
});

test('close() ends every stream and frees the port', async () => {
  const own = await startDemoServer();
  const ws = new WebSocket(`${own.wsUrl}/ticker`);
  await new Promise((resolve) => ws.once('message', resolve));
  const closed = new Promise((resolve) => ws.once('close', resolve));
  await own.close();
  await closed;
  await expect(fetch(own.url)).rejects.toThrow();
});
