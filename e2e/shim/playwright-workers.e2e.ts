// The Playwright helper in a page's workers (Chromium): the sockets of a
// classic worker, a module worker (whose static import opens the socket) and
// a module worker nested in a worker are listed and driven as the page's are;
// rules apply in them; each worker sees itself as it does without the helper.
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { sockscope, type SockscopeOptions } from 'sockscope/playwright';
import { useChromium, useConformanceServer } from '../fixtures';

const server = useConformanceServer();
const chromium = useChromium();

/** Where the pages and worker scripts come from: a loopback host no other spec uses. */
const HOST = '127.0.0.9';

/**
 * A worker's own part, on lines of their own (the report's `new Error` is on
 * the third line of classic.js): a socket to /greet, which greets it with its
 * name and echoes; it posts what it receives, sends what it is told, and
 * reports where it is.
 */
const socketLines = (name: string) => [
  `const ws = new WebSocket(${JSON.stringify(`${server().socketOrigin}/greet?text=${name}`)});`,
  `const report = () => ({ href: self.location.href, stack: new Error('where').stack });`,
  `ws.onmessage = (event) => self.postMessage({ name: '${name}', got: event.data });`,
  `self.onmessage = (event) => (event.data === 'report' ? self.postMessage({ name: '${name}', report: report() }) : ws.send(event.data));`,
];

/** A worker that starts the nested ones and relays between them and the page. */
const PARENT = `"use strict";
const children = { 'nested-module': new Worker('/nested-module.js', { type: 'module' }), 'nested-classic': new Worker('/nested-classic.js') };
for (const child of Object.values(children)) child.onmessage = (event) => self.postMessage(event.data);
self.onmessage = (event) => children[event.data.to].postMessage(event.data.data);`;

/** A SharedWorker: the same, for each client that connects (its report's `new Error` on the third line too). */
const sharedScript = () => [
  '"use strict";',
  ...socketLines('shared').slice(0, 2),
  'const got = [];',
  'const ports = [];',
  "const post = (port, data) => port.postMessage({ name: 'shared', got: data });",
  'ws.onmessage = (event) => { got.push(event.data); for (const port of ports) post(port, event.data); };',
  'self.onconnect = ({ ports: [port] }) => {',
  '  ports.push(port);',
  '  for (const data of got) post(port, data);',
  "  port.onmessage = (event) => (event.data === 'report' ? port.postMessage({ name: 'shared', report: report() }) : ws.send(event.data));",
  '};',
].join('\n');

/** The module workers' part: the imported module opens the socket as it is evaluated, before the importing module's first line. */
const importing = (name: string) => `import { ws, report } from './${name}-socket.js';
ws.onmessage = (event) => self.postMessage({ name: '${name}', got: event.data });
self.onmessage = (event) => (event.data === 'report' ? self.postMessage({ name: '${name}', report: report() }) : ws.send(event.data));`;
const importedSocket = (name: string) => `export const ws = new WebSocket(${JSON.stringify(`${server().socketOrigin}/greet?text=${name}`)});
export const report = () => ({ href: self.location.href, stack: new Error('where').stack });`;

/**
 * A service worker: the same, its messages to every client of the origin (the page registers it
 * and listens on navigator.serviceWorker); its report's `new Error` on the second line.
 */
const serviceScript = () =>
  [
    ...socketLines('service').slice(0, 2),
    "const post = async (data) => { for (const client of await clients.matchAll({ includeUncontrolled: true })) client.postMessage(data); };",
    "ws.onmessage = (event) => post({ name: 'service', got: event.data });",
    "self.onmessage = (event) => (event.data === 'report' ? post({ name: 'service', report: report() }) : ws.send(event.data));",
  ].join('\n');

const SCRIPTS: Record<string, () => string> = {
  // A directive prologue: it stays in force (the shim goes after it).
  '/classic.js': () => ['"use strict";', ...socketLines('classic'), 'self.strict = (function () { return this; })() === undefined;'].join('\n'),
  '/module.js': () => importing('module'),
  '/module-socket.js': () => importedSocket('module'),
  '/parent.js': () => PARENT,
  '/nested-module.js': () => importing('nested-module'),
  '/nested-module-socket.js': () => importedSocket('nested-module'),
  '/nested-classic.js': () => socketLines('nested-classic').join('\n'),
  '/shared.js': sharedScript,
  '/service.js': serviceScript,
  '/page-script.js': () => 'globalThis.pageScriptRan = true;',
};
const PAGE_SCRIPT_INTEGRITY = `sha256-${createHash('sha256').update(SCRIPTS['/page-script.js']()).digest('base64')}`;

let pages: Server;
let origin = '';
beforeAll(async () => {
  pages = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const script = SCRIPTS[path];
    if (script) return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(script());
    if (path !== '/page.html') return void res.writeHead(404).end();
    // A page script with Subresource Integrity: it runs only if nobody rewrote it.
    res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><script src="/page-script.js" integrity="${PAGE_SCRIPT_INTEGRITY}"></script>`);
  });
  await new Promise<void>((resolve) => pages.listen(0, HOST, resolve));
  origin = `http://${HOST}:${(pages.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => pages.close(() => resolve())));

type Name = 'classic' | 'module' | 'nested-module' | 'nested-classic' | 'shared';
const NAMES: Name[] = ['classic', 'module', 'nested-module', 'nested-classic', 'shared'];

/**
 * A page (with the helper unless `options` is null) that starts the workers:
 * `got(name)` lists what a worker's socket received, `tell(name, data)` has
 * the worker send `data` ('report': it answers with where it is).
 */
async function workersPage(options: SockscopeOptions | null = {}, before?: (page: Page) => Promise<unknown>) {
  const page = await chromium().context.newPage();
  await before?.(page);
  const scope = options ? await sockscope(page, options) : null;
  await page.goto(`${origin}/page.html`);
  expect(await page.evaluate(() => (globalThis as unknown as { pageScriptRan?: boolean }).pageScriptRan)).toBe(true);
  await page.evaluate(() => {
    // A SharedWorker of this page's own (by its name): another page's does not answer here.
    const shared = new SharedWorker('/shared.js', { name: crypto.randomUUID() });
    const workers = { classic: new Worker('/classic.js'), module: new Worker('/module.js', { type: 'module' }), parent: new Worker('/parent.js'), shared: shared.port };
    const got: Record<string, string[]> = {};
    const reports: Record<string, unknown> = {};
    for (const worker of Object.values(workers)) {
      worker.onmessage = ({ data }) => (data.report ? (reports[data.name] = data.report) : (got[data.name] ??= []).push(data.got));
    }
    const tell = (name: string, data: string) =>
      name.startsWith('nested') ? workers.parent.postMessage({ to: name, data }) : workers[name as 'classic' | 'module' | 'shared'].postMessage(data);
    Object.assign(globalThis, { got, reports, tell });
  });
  const got = (name: Name) => page.evaluate((name) => (globalThis as unknown as { got: Record<string, string[]> }).got[name] ?? [], name);
  const tell = (name: Name, data: string) => page.evaluate(([name, data]) => (globalThis as unknown as { tell(n: string, d: string): void }).tell(name, data), [name, data]);
  return { page, scope: scope!, got, tell };
}

test('the sockets of classic, module, nested module and shared workers are listed with distinct ids, and driven as the page’s are', async () => {
  const { page, scope, got, tell } = await workersPage();
  for (const name of NAMES) await expect.poll(() => got(name)).toEqual([name]);

  const byName = async () => Object.fromEntries((await scope.sockets()).map((socket) => [socket.url.split('text=')[1], socket]));
  const sockets = await byName();
  expect(Object.keys(sockets).sort()).toEqual(['classic', 'module', 'nested-module', 'shared']);
  expect(new Set(Object.values(sockets).map((socket) => socket.id)).size).toBe(4);
  for (const [name, socket] of Object.entries(sockets)) {
    expect(socket.worker).toBe(name === 'shared' ? 'shared' : 'dedicated');
    expect(socket.frameUrl).toBe(`${origin}/${name}.js`);
  }

  // The test sends as the worker would: the server echoes it to the worker.
  await scope.send(sockets.classic.id, 'from the test');
  await expect.poll(() => got('classic')).toEqual(['classic', 'from the test']);
  await scope.inject(sockets['nested-module'].id, 'as if from the server');
  await expect.poll(() => got('nested-module')).toEqual(['nested-module', 'as if from the server']);
  expect((await scope.messages(sockets.classic.id)).map((m) => [m.socketId, m.direction, m.data, m.mark ?? null])).toEqual([
    [sockets.classic.id, 'receive', 'classic', null],
    [sockets.classic.id, 'send', 'from the test', 'sent'],
    [sockets.classic.id, 'receive', 'from the test', null],
  ]);
  expect((await scope.messages()).filter((m) => m.direction === 'receive' && m.data === 'module').map((m) => m.socketId)).toEqual([sockets.module.id]);
  expect((await scope.stats(sockets.module.id)).ruleId).toBeNull();

  // A rule for one worker's socket: what the module worker sends is dropped until the rule goes.
  const drop = await scope.intercept({ match: sockets.module.id, direction: 'send', action: 'drop' });
  await tell('module', 'lost');
  const marks = (id: number) => scope.messages(id).then((all) => all.map((m) => [m.direction, m.data, m.mark ?? null]));
  await expect.poll(() => marks(sockets.module.id)).toContainEqual(['send', 'lost', 'dropped']);
  expect(await scope.unintercept(drop)).toBe(true);
  await tell('module', 'kept');
  await expect.poll(() => got('module')).toEqual(['module', 'kept']);

  // A breakpoint in a nested worker, released edited; a rule for every socket applies in every worker.
  const breakpoint = await scope.intercept({ match: /greet/, direction: 'receive', data: 'hold', action: 'pause' });
  await tell('nested-module', 'hold me');
  const held = await scope.nextPaused();
  expect([held.socketId, held.ruleId, held.data]).toEqual([sockets['nested-module'].id, breakpoint, 'hold me']);
  expect((await scope.paused()).map((message) => message.id)).toEqual([held.id]);
  await scope.release(held.id, { data: 'released' });
  await expect.poll(() => got('nested-module')).toEqual(['nested-module', 'as if from the server', 'released']);
  await tell('classic', 'hold this');
  await expect.poll(async () => (await scope.paused()).map((message) => message.socketId)).toEqual([sockets.classic.id]);
  expect(await scope.unintercept(breakpoint)).toBe(true);
  await expect.poll(() => got('classic')).toEqual(['classic', 'from the test', 'hold this']);

  await scope.send(sockets.shared.id, 'to the shared worker');
  await expect.poll(() => got('shared')).toEqual(['shared', 'to the shared worker']);
  await scope.serverClose(sockets.classic.id, 4001, 'bye');
  await expect.poll(async () => (await byName()).classic.closeCode).toBe(4001);
  await page.close();
});

test('rules from install time apply in workers from their first message', async () => {
  const { page, scope, got } = await workersPage({ rules: [{ match: /text=classic/, direction: 'receive', action: 'drop' }, { match: /text=module/, down: { latencyMs: 400 } }] });
  // The greeting comes as the socket opens; the worker gets it 400 ms later.
  const moduleSocket = await scope.socket('text=module');
  await expect.poll(async () => (await scope.socket('text=module')).openedAt).not.toBeNull();
  expect(await got('module')).toEqual([]);
  await expect.poll(() => got('module')).toEqual(['module']);
  // The worker's rule from the options, by the id it has there offset as its sockets' ids are.
  expect((await scope.stats(moduleSocket.id)).ruleId).toBe(moduleSocket.id - (moduleSocket.id % 1_000_000_000) + 2);
  const classic = await scope.socket('text=classic');
  await expect.poll(async () => (await scope.messages(classic.id)).map((m) => [m.direction, m.data, m.mark ?? null])).toEqual([['receive', 'classic', 'dropped']]);
  expect(await got('classic')).toEqual([]);
  await page.close();
});

test('a worker sees itself as without the helper: its location, its line numbers, its directive prologue', async () => {
  const reportsOf = async (options: SockscopeOptions | null) => {
    const { page, got, tell } = await workersPage(options);
    const reportOf = (name: Name) => page.evaluate((name) => (globalThis as unknown as { reports: Record<string, { href: string; stack: string }> }).reports[name], name);
    const reports: Record<string, { href: string; at: string }> = {};
    for (const name of NAMES) {
      await expect.poll(() => got(name)).toEqual([name]);
      await tell(name, 'report');
      await expect.poll(() => reportOf(name)).toBeDefined();
      const report = await reportOf(name);
      // Where the Error was made: script and line (the column on a first line would move).
      reports[name] = { href: report.href, at: /\/([\w-]+\.js:\d+):\d+/.exec(report.stack)?.[1] ?? report.stack };
    }
    const strict = await page.workers().find((worker) => worker.url().endsWith('/classic.js'))!.evaluate(() => (self as unknown as { strict: boolean }).strict);
    await page.close();
    return { reports, strict };
  };
  const without = await reportsOf(null);
  expect(without.reports.classic).toEqual({ href: `${origin}/classic.js`, at: 'classic.js:3' });
  expect(without.reports.module).toEqual({ href: `${origin}/module.js`, at: 'module-socket.js:2' });
  expect(without.reports.shared).toEqual({ href: `${origin}/shared.js`, at: 'shared.js:3' });
  expect(without.strict).toBe(true);
  expect(await reportsOf({})).toEqual(without);
});

test('the page’s own routes run first, even added before the helper: one that falls back lets it capture; one that fulfills a script is used as it is', async () => {
  const routed: string[] = [];
  const { page, scope, got } = await workersPage({}, (page) =>
    page.route('**/*.js', (route) => {
      const path = new URL(route.request().url()).pathname;
      routed.push(path);
      if (path !== '/module-socket.js') return route.fallback();
      return route.fulfill({ contentType: 'text/javascript', body: importedSocket('mocked') });
    }),
  );
  await expect.poll(() => got('classic')).toEqual(['classic']);
  // The module worker runs the mock, and the mock opened its socket before the shim (which comes with module.js) ran.
  await expect.poll(() => got('module')).toEqual(['mocked']);
  expect(routed).toEqual(expect.arrayContaining(['/page-script.js', '/classic.js', '/module.js', '/module-socket.js', '/shared.js']));
  const urls = (await scope.sockets()).map((socket) => socket.url.split('text=')[1]);
  expect(urls).toContain('classic');
  expect(urls).not.toContain('mocked');
  await page.close();
});

test('captureWorkers: false leaves workers alone', async () => {
  const { page, scope, got } = await workersPage({ captureWorkers: false });
  for (const name of NAMES) await expect.poll(() => got(name)).toEqual([name]);
  expect(await scope.sockets()).toEqual([]);
  expect(await Promise.all(page.workers().map((worker) => worker.evaluate(() => typeof (self as unknown as { sockscope?: unknown }).sockscope)))).toEqual(
    page.workers().map(() => 'undefined'),
  );
  await page.close();
});

test('not captured: a classic worker nested in a worker (Chromium does not route its script)', async () => {
  const { page, scope, got } = await workersPage();
  await expect.poll(() => got('nested-classic')).toEqual(['nested-classic']);
  expect((await scope.sockets()).map((socket) => socket.url)).not.toContainEqual(expect.stringContaining('nested-classic'));
  await page.close();
});

/** A page that registers /service.js (with the helper unless `options` is null), as workersPage does the others. */
async function serviceWorkerPage(options: SockscopeOptions | null) {
  const page = await chromium().context.newPage();
  const scope = options ? await sockscope(page, options) : null;
  await page.goto(`${origin}/page.html`);
  await page.evaluate(async () => {
    const got: string[] = [];
    const reports: unknown[] = [];
    navigator.serviceWorker.onmessage = ({ data }) => (data.report ? reports.push(data.report) : got.push(data.got));
    const registration = await navigator.serviceWorker.register('/service.js');
    const worker = registration.installing ?? registration.waiting ?? registration.active;
    Object.assign(globalThis, { got, reports, tell: (data: string) => worker!.postMessage(data) });
  });
  const read = (what: 'got' | 'reports') => page.evaluate((what) => (globalThis as unknown as Record<string, unknown[]>)[what], what);
  const tell = (data: string) => page.evaluate((data) => (globalThis as unknown as { tell(d: string): void }).tell(data), data);
  const report = async () => {
    await tell('report');
    await expect.poll(() => read('reports')).toHaveLength(1);
    const [{ href, stack }] = (await read('reports')) as { href: string; stack: string }[];
    return { href, at: /\/([\w-]+\.js:\d+):\d+/.exec(stack)?.[1] ?? stack };
  };
  const close = async () => {
    await page.evaluate(async () => {
      for (const registration of await navigator.serviceWorker.getRegistrations()) await registration.unregister();
    });
    await page.close();
  };
  return { scope: scope!, got: () => read('got'), tell, report, close };
}

test('a service worker the page registers: its socket is listed and driven as the page’s are, rules from install time apply, and it sees itself as without the helper', async () => {
  const native = await serviceWorkerPage(null);
  await expect.poll(() => native.got()).toEqual(['service']);
  const nativeReport = await native.report();
  expect(nativeReport).toEqual({ href: `${origin}/service.js`, at: 'service.js:2' });
  await native.close();

  const { scope, got, tell, report, close } = await serviceWorkerPage({ rules: [{ match: /text=service/, direction: 'send', data: 'drop me', action: 'drop' }] });
  await expect.poll(() => got()).toEqual(['service']);
  const socket = await scope.socket('text=service');
  expect([socket.worker, socket.frameUrl]).toEqual(['service', `${origin}/service.js`]);
  await scope.send(socket.id, 'from the test');
  await expect.poll(() => got()).toEqual(['service', 'from the test']);
  await tell('drop me');
  await tell('kept');
  await expect.poll(() => got()).toEqual(['service', 'from the test', 'kept']);
  expect((await scope.messages(socket.id)).map((m) => [m.direction, m.data, m.mark ?? null])).toEqual([
    ['receive', 'service', null],
    ['send', 'from the test', 'sent'],
    ['receive', 'from the test', null],
    ['send', 'drop me', 'dropped'],
    ['send', 'kept', null],
    ['receive', 'kept', null],
  ]);
  expect(await report()).toEqual(nativeReport);
  await close();
});
