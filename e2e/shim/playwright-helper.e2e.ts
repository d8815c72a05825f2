// The Playwright helper as a user imports it from the package: rules given at
// install apply from the first message of the page; the test drives the
// consumer and reads stats. (The same test is the README's example.)
import { expect, test } from 'vitest';
import { sockscope, type SockscopeOptions } from 'sockscope/playwright';
import { HOSTS } from '../conformance/server';
import { useChromium, useConformanceServer } from '../fixtures';

const server = useConformanceServer();
const chromium = useChromium();

/**
 * A page with Sockscope (`options`) and a socket to /greet, which echoes
 * what the page sends: `got()` lists what the page received (bytes as
 * numbers) and its close, `send()` sends text as the page.
 */
async function echoPage(options?: SockscopeOptions) {
  const page = await chromium().context.newPage();
  const scope = await sockscope(page, options);
  await page.goto(`${server().pageOrigin(HOSTS.standalone)}/page.html`);
  await page.evaluate(async (url) => {
    const ws = new WebSocket(url);
    ws.binaryType = 'arraybuffer';
    const got: unknown[] = [];
    Object.assign(globalThis, { ws, got });
    ws.onmessage = (event) => got.push(typeof event.data === 'string' ? event.data : [...new Uint8Array(event.data as ArrayBuffer)]);
    ws.onclose = (event) => got.push(['close', event.code, event.reason, event.wasClean]);
    await new Promise((resolve) => (ws.onopen = resolve));
  }, `${server().socketOrigin}/greet`);
  const got = () => page.evaluate(() => (globalThis as unknown as { got: unknown[] }).got);
  const send = (...data: string[]) => page.evaluate((data) => data.forEach((d) => (globalThis as unknown as { ws: WebSocket }).ws.send(d)), data);
  return { page, scope, got, send, socket: await scope.socket('/greet') };
}

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

test('send, inject and close: the server hears what the test sends, the page what it injects, both ends the close', async () => {
  // What the test sends as the page comes back from the server.
  const { page, scope, got, socket } = await echoPage();

  await scope.send(socket.id, 'ping');
  await scope.send(socket.id, Buffer.from([1, 2, 3]));
  await expect.poll(got).toEqual(['ping', [1, 2, 3]]);
  await scope.inject(socket.id, 'from nowhere');
  await scope.inject(socket.id, new Uint8Array([7]));
  await expect.poll(got).toEqual(['ping', [1, 2, 3], 'from nowhere', [7]]);
  // Each direction in order (an echo may come back between the test's two sends).
  const marks = (direction: string) =>
    scope.messages(socket.id).then((all) => all.filter((m) => m.direction === direction).map((m) => [m.data, m.mark ?? null]));
  expect(await marks('send')).toEqual([
    ['ping', 'sent'],
    ['AQID', 'sent'],
  ]);
  expect(await marks('receive')).toEqual([
    ['ping', null],
    ['AQID', null],
    ['from nowhere', 'injected'],
    ['Bw==', 'injected'],
  ]);

  await expect(scope.close(socket.id, 1001)).rejects.toThrow('The close code must be either 1000, or between 3000 and 4999. 1001 is neither.');
  await expect(scope.send(socket.id, 5 as unknown as string)).rejects.toThrow('send: a message is a string, an ArrayBuffer or an ArrayBufferView');
  await scope.close(socket.id, 4321, 'done here');
  await expect.poll(got).toContainEqual(['close', 4321, 'done here', true]);
  await expect(scope.send(socket.id, 'late')).rejects.toThrow(`send: no socket ${socket.id} is open in this page`);
  await page.close();
});

test('intercept: a mock reply from install time, a breakpoint the test releases edited, a rewrite; bad input rejects', async () => {
  const { page, scope, got, send, socket } = await echoPage({ rules: [{ match: /\/greet/, direction: 'send', data: /^ping$/, action: { reply: Buffer.from([9, 9]) } }] });
  await send('ping', 'hello');
  // The mock answered 'ping'; the server echoed only 'hello'.
  await expect.poll(got).toEqual([[9, 9], 'hello']);

  const breakpoint = await scope.intercept({ match: socket.id, direction: 'receive', data: /secret/, action: 'pause' });
  await send('a secret', 'after');
  const held = await scope.nextPaused();
  expect(held).toEqual({ id: held.id, ruleId: breakpoint, socketId: socket.id, direction: 'receive', type: 'text', size: 8, data: 'a secret' });
  expect(await got()).toEqual([[9, 9], 'hello']);
  await scope.release(held.id, { data: Buffer.from([1]) });
  await expect.poll(got).toEqual([[9, 9], 'hello', [1], 'after']);
  expect(await scope.unintercept(breakpoint)).toBe(true);

  await scope.intercept({ match: socket.id, direction: 'receive', action: { replace: [/o/g, '0'] } });
  await send('foo');
  await expect.poll(got).toEqual([[9, 9], 'hello', [1], 'after', 'f00']);
  expect((await scope.messages(socket.id)).map((m) => [m.direction, m.data, m.mark ?? null, m.original ?? null])).toEqual([
    ['send', 'ping', 'mocked', null],
    ['receive', 'CQk=', 'mocked', null],
    ['send', 'hello', null, null],
    ['receive', 'hello', null, null],
    ['send', 'a secret', null, null],
    ['send', 'after', null, null],
    ['receive', 'AQ==', 'edited', 'a secret'],
    ['receive', 'after', null, null],
    ['send', 'foo', null, null],
    ['receive', 'f00', 'edited', 'foo'],
  ]);

  await expect(scope.intercept({ match: 'x', direction: 'up' as 'send', action: 'drop' })).rejects.toThrow('direction must be "send" or "receive"');
  await expect(scope.release(987654)).rejects.toThrow('release: no message is held with id 987654');
  await page.close();
});

test('intercept with a handler: it edits, drops or passes each message; one that throws or takes too long lets its message go and fails the next call', async () => {
  const { page, scope, got, send, socket } = await echoPage();

  const seen: [number, unknown][] = [];
  const rule = await scope.intercept(
    { match: socket.id, direction: 'send' },
    async (message) => {
      seen.push([message.ruleId, message.data]);
      if (message.data === 'drop me') return { drop: true };
      if (message.data === 'shout') return 'SHOUT';
      if (message.data === 'throw') throw new Error('no case for this');
      if (message.data === 'slow') return new Promise<never>(() => {});
      return undefined;
    },
    { timeoutMs: 300 },
  );
  await send('shout', 'drop me', 'as is');
  await expect.poll(got).toEqual(['SHOUT', 'as is']);
  expect(seen).toEqual([
    [rule, 'shout'],
    [rule, 'drop me'],
    [rule, 'as is'],
  ]);

  await send('throw', 'after');
  await expect.poll(got).toEqual(['SHOUT', 'as is', 'throw', 'after']);
  await expect(scope.sockets()).rejects.toThrow(`the intercept handler of rule ${rule} failed, and its message went on as it was: no case for this`);
  expect((await scope.sockets()).length).toBe(1);

  await send('slow');
  await expect.poll(got).toEqual(['SHOUT', 'as is', 'throw', 'after', 'slow']);
  await expect(scope.sockets()).rejects.toThrow('it took longer than 300 ms');
  expect(await scope.unintercept(rule)).toBe(true);
  await send('free');
  await expect.poll(got).toEqual(['SHOUT', 'as is', 'throw', 'after', 'slow', 'free']);
  expect(seen.map(([, data]) => data)).toEqual(['shout', 'drop me', 'as is', 'throw', 'after', 'slow']);
  await page.close();
});

test('frames: the sockets of every frame, each reachable by its id; a rule for every socket applies in each frame', async () => {
  const page = await chromium().context.newPage();
  const scope = await sockscope(page);
  await page.goto(`${server().pageOrigin(HOSTS.standalone)}/page.html`);
  await page.evaluate(`new Promise((resolve) => {
    const frames = [{ srcdoc: '<p>srcdoc' }, { srcdoc: '<p>sandboxed', sandbox: 'allow-scripts' }, { src: ${JSON.stringify(`${server().pageOrigin(HOSTS.native)}/page.html`)} }];
    let loaded = 0;
    for (const { sandbox, ...attributes } of frames) {
      const frame = Object.assign(document.createElement('iframe'), attributes);
      if (sandbox) frame.setAttribute('sandbox', sandbox);
      frame.onload = () => ++loaded === frames.length && resolve();
      document.body.append(frame);
    }
  })`);
  // In each frame, a socket to /greet (which greets, then echoes) that notes what it receives.
  const names = ['main', 'srcdoc', 'sandboxed', 'cross-origin'];
  const all = page.frames();
  expect(all).toHaveLength(names.length);
  await Promise.all(
    all.map((frame, i) =>
      frame.evaluate(
        `new Promise((resolve) => {
          const ws = new WebSocket(${JSON.stringify(`${server().socketOrigin}/greet?text=`)} + ${JSON.stringify(names[i])});
          globalThis.ws = ws;
          globalThis.got = [];
          ws.onmessage = (event) => (got.push(event.data), resolve());
        })`,
      ),
    ),
  );
  const got = (i: number) => all[i].evaluate('globalThis.got') as Promise<string[]>;

  const sockets = await scope.sockets();
  expect(sockets.map((socket) => socket.url.split('=')[1])).toEqual(names);
  expect(new Set(sockets.map((socket) => socket.id)).size).toBe(names.length);
  expect(sockets[0].id).toBeLessThan(1_000_000_000);
  expect((await scope.messages()).filter((m) => m.direction === 'receive').map((m) => m.data).sort()).toEqual([...names].sort());

  // A call on a frame's socket reaches that frame.
  const sandboxed = sockets[2];
  expect((await scope.messages(sandboxed.id)).map((m) => [m.socketId, m.data])).toEqual([[sandboxed.id, 'sandboxed']]);
  await scope.send(sandboxed.id, 'to the sandboxed frame');
  await expect.poll(() => got(2)).toEqual(['sandboxed', 'to the sandboxed frame']);
  expect(await got(1)).toEqual(['srcdoc']);

  // A rule for every socket, in every frame.
  const rule = await scope.intercept({ match: /\/greet/, direction: 'receive', data: 'late', action: { replace: ['late', 'LATE'] } });
  await Promise.all(all.map((frame) => frame.evaluate(`ws.send('late')`)));
  for (const i of names.keys()) await expect.poll(() => got(i).then((list) => list.at(-1))).toBe('LATE');
  expect(await scope.unintercept(rule)).toBe(true);
  await expect(scope.send(9_000_000_001, 'x')).rejects.toThrow('no socket 9000000001: its frame or worker is gone, or was never seen');
  await page.close();
});

test('shape, the consumer following its rule, unshape: a rule that pauses the page holds messages, resume overrides it until followRule, unshape lifts it; an offline drop ends the socket (1006)', async () => {
  const { page, scope, got, send, socket } = await echoPage();
  const shaped = async () => (await scope.sockets()).find(({ id }) => id === socket.id)?.shaped;
  const held = async () => (await scope.stats(socket.id)).consumer.heldMessages;
  expect(await shaped()).toBe(false);
  const rule = await scope.shape({ match: socket.id, consumer: { paused: true } });
  expect(await shaped()).toBe(true);
  await send('first');
  await expect.poll(held).toBe(1);
  expect(await got()).not.toContain('first');

  const consumer = scope.consumer(socket.id);
  await consumer.resume();
  await expect.poll(got).toContain('first');
  // Back to the rule: paused again.
  await consumer.followRule();
  await send('second');
  await expect.poll(held).toBe(1);
  expect(await got()).not.toContain('second');

  // Lifted: what it held goes on; a rule lifted twice is not found.
  expect(await scope.unshape(rule)).toBe(true);
  await expect.poll(got).toContain('second');
  expect(await shaped()).toBe(false);
  expect(await scope.unshape(rule)).toBe(false);

  await scope.shape({ match: socket.id, offline: 'drop' });
  await expect.poll(got).toContainEqual(['close', 1006, '', false]);
  expect((await scope.sockets()).find(({ id }) => id === socket.id)?.closeCode).toBe(1006);
  await page.close();
});

test('options: provideWebSocketStream supplies WebSocketStream to a page without one; classicOverStream carries WebSocket over the native stream', async () => {
  /** A page whose browser has no WebSocketStream (as Firefox), with Sockscope's `options`: what it opens and what the helper lists. */
  const streamless = async (options: SockscopeOptions) => {
    const page = await chromium().context.newPage();
    // Runs before the helper's script: init scripts run in the order they were added.
    await page.addInitScript('delete globalThis.WebSocketStream');
    const scope = await sockscope(page, options);
    await page.goto(`${server().pageOrigin(HOSTS.standalone)}/page.html`);
    const greeting = await page.evaluate(async (url) => {
      // Not in TypeScript's DOM library yet.
      const Stream = (globalThis as unknown as { WebSocketStream?: new (url: string) => { opened: Promise<{ readable: ReadableStream<string> }> } }).WebSocketStream;
      if (Stream === undefined) return 'no WebSocketStream';
      const { readable } = await new Stream(url).opened;
      return (await readable.getReader().read()).value as string;
    }, `${server().socketOrigin}/greet?text=streamed`);
    const sockets = await scope.sockets();
    await page.close();
    return { greeting, sockets };
  };
  expect(await streamless({})).toEqual({ greeting: 'no WebSocketStream', sockets: [] });
  const provided = await streamless({ provideWebSocketStream: true });
  expect(provided.greeting).toBe('streamed');
  expect(provided.sockets.map(({ kind, provided }) => ({ kind, provided }))).toEqual([{ kind: 'WebSocketStream', provided: true }]);

  for (const classicOverStream of [false, true]) {
    const { page, scope, socket } = await echoPage({ classicOverStream });
    expect((await scope.sockets()).find(({ id }) => id === socket.id)?.overStream, `classicOverStream: ${classicOverStream}`).toBe(classicOverStream);
    await page.close();
  }
});
