// WebSocketStream and WebSocketError, where the browser has them (Chromium):
// the instrumented constructor against the native one.
import { cases, scenario, type Scenario } from '../scenario';

const only = 'chromium' as const;

/** Constructor arguments as the page writes them; `{ws}` is the socket server's origin. */
const CONSTRUCTIONS: [label: string, source: string][] = [
  ['no URL', '[]'],
  ['a bad scheme', "['ftp://x/']"],
  ['a fragment', "['{ws}/echo#f']"],
  ['a relative URL', "['/echo']"],
  ['options = true', "['{ws}/echo', true]"],
  ['protocols as a string', "['{ws}/echo', { protocols: 'chat' }]"],
  ['protocols as an array', "['{ws}/protocol?select=chat', { protocols: ['chat'] }]"],
  ['duplicate protocols', "['{ws}/echo', { protocols: ['a', 'a'] }]"],
  ['an invalid protocol', "['{ws}/echo', { protocols: ['a b'] }]"],
  ['null options', "['{ws}/echo', null]"],
  ['an already aborted signal', "['{ws}/echo', { signal: AbortSignal.abort() }]"],
  ['a signal aborted with a reason', "['{ws}/echo', { signal: AbortSignal.abort(new RangeError('why')) }]"],
  ['a bad URL and an aborted signal', "['ftp://x/', { signal: AbortSignal.abort() }]"],
  ['an http URL', "['{ws}/echo'.replace('ws:', 'http:')]"],
  ['a URL object', "[new URL('{ws}/echo')]"],
  ['protocols from a Set', "['{ws}/protocol?select=b', { protocols: new Set(['a', 'b']) }]"],
  ['an empty protocol list', "['{ws}/echo', { protocols: [] }]"],
  ['a signal that is not an AbortSignal', "['{ws}/echo', { signal: {} }]"],
];

/** close() arguments. */
const CLOSES: [label: string, source: string][] = [
  ['no arguments', '[]'],
  ['a code', '[{ closeCode: 4000 }]'],
  ['a reason alone', "[{ reason: 'only a reason' }]"],
  ['a code and reason', "[{ closeCode: 4001, reason: 'bye' }]"],
  ['1000', '[{ closeCode: 1000 }]'],
  ['a bad code', '[{ closeCode: 1001 }]'],
  ['code 2999', '[{ closeCode: 2999 }]'],
  ['a 123-byte reason', "[{ closeCode: 1000, reason: 'r'.repeat(123) }]"],
  ['a 124-byte reason', "[{ closeCode: 1000, reason: 'r'.repeat(124) }]"],
  ['undefined', '[undefined]'],
  ['an empty object', '[{}]'],
  ['an empty reason alone', "[{ reason: '' }]"],
  ['a fractional code', '[{ closeCode: 3000.5 }]'],
  ['a code as a string', "[{ closeCode: '4002' }]"],
  ['a NaN code', '[{ closeCode: NaN }]'],
  ['code 65536', '[{ closeCode: 65536 }]'],
  ['a 123-byte reason of 3-byte characters', "[{ reason: '€'.repeat(41) }]"],
  ['a 124-byte reason of 2-byte characters', "[{ reason: 'é'.repeat(62) }]"],
  ['a lone surrogate in the reason', "[{ closeCode: 4000, reason: 'a\\ud800b' }]"],
  ['a number', '[5]'],
];

/** WebSocketError constructor arguments. */
const ERRORS: [label: string, source: string][] = [
  ['no arguments', '[]'],
  ['a message', "['m']"],
  ['a code', "['m', { closeCode: 4000 }]"],
  ['a reason alone', "['m', { reason: 'r' }]"],
  ['an empty reason alone', "['m', { reason: '' }]"],
  ['a code and reason', "['m', { closeCode: 3000, reason: 'why' }]"],
  ['a bad code', "['m', { closeCode: 1001 }]"],
  ['a 124-byte reason', "['m', { closeCode: 1000, reason: 'r'.repeat(124) }]"],
  ['a fractional code', "['m', { closeCode: 4999.5 }]"],
  ['a message object', "[{ toString: () => 'converted' }]"],
  ['a non-object init', "['m', 7]"],
  ['null init', "['m', null]"],
];

export const streamScenarios: Scenario[] = [
  scenario(
    'WebSocketStream and WebSocketError: shape',
    (t) => {
      const W = (globalThis as unknown as { WebSocketStream: Function }).WebSocketStream;
      const E = (globalThis as unknown as { WebSocketError: Function }).WebSocketError;
      t.log('constructor', t.descriptors(W));
      t.log('prototype', t.descriptors(W.prototype));
      t.log('error constructor', t.descriptors(E));
      t.log('error prototype', t.descriptors(E.prototype));
      t.log('source', [String(W), String(E)]);
      t.log('global descriptors', [t.descriptor(window, 'WebSocketStream'), t.descriptor(window, 'WebSocketError')]);
    },
    { only },
  ),

  ...cases(
    ([label]) => `WebSocketStream constructed with ${label}`,
    CONSTRUCTIONS,
    async (t, env, [, source]: [string, string]) => {
      const args = new Function(`return (${source.split('{ws}').join(env.ws)});`)() as unknown[];
      const W = (globalThis as unknown as { WebSocketStream: new (...a: unknown[]) => any }).WebSocketStream;
      const stream = t.attempt('new', () => new W(...args));
      if (!stream) return;
      t.log('url', stream.url);
      t.log('own keys', Reflect.ownKeys(stream).map(String));
      t.log('same opened', stream.opened === stream.opened);
      const opened = await stream.opened.then(
        (o: any) => ({ keys: Object.keys(o), protocol: o.protocol, extensions: o.extensions, readable: String(o.readable), writable: String(o.writable) }),
        (e: unknown) => t.show(e),
      );
      t.log('opened', opened);
      stream.close();
      t.log('closed', await stream.closed.then((c: unknown) => c, (e: unknown) => t.show(e)));
    },
  ).map((s) => ({ ...s, only })),

  ...cases(
    ([label]) => `WebSocketStream close(${label})`,
    CLOSES,
    async (t, env, [, source]: [string, string]) => {
      const W = (globalThis as unknown as { WebSocketStream: new (...a: unknown[]) => any }).WebSocketStream;
      const stream = new W(`${env.ws}/echo`);
      await stream.opened;
      const args = new Function(`return (${source});`)() as unknown[];
      t.attempt('close', () => stream.close(...args));
      t.log('closed', await t.outcome(stream.closed, 500));
      stream.close();
      t.log('closed after a plain close()', await t.outcome(stream.closed));
    },
  ).map((s) => ({ ...s, only })),

  scenario(
    'WebSocketStream: text and binary round trips, chunk types',
    async (t, env) => {
      const W = (globalThis as unknown as { WebSocketStream: new (...a: unknown[]) => any }).WebSocketStream;
      const stream = new W(`${env.ws}/echo`);
      const { readable, writable } = await stream.opened;
      const writer = writable.getWriter();
      const reader = readable.getReader();
      const chunks: unknown[] = ['text', new Uint8Array([1, 2, 3]), new ArrayBuffer(2), new DataView(new ArrayBuffer(3)), 42, { toString: () => 'object' }];
      for (const chunk of chunks) {
        t.log('desiredSize before', writer.desiredSize);
        const written = writer.write(chunk);
        t.log('desiredSize after', writer.desiredSize);
        await written;
        const { value, done } = await reader.read();
        t.log('echo', [done, Object.prototype.toString.call(value), typeof value === 'string' ? value : await t.bytes(value)]);
      }
      stream.close({ closeCode: 4000 });
      t.log('read after close', await reader.read().then((r: unknown) => t.show(r), (e: unknown) => t.show(e)));
      t.log('closed', await stream.closed);
    },
    { only },
  ),

  scenario(
    'WebSocketStream: writes the platform refuses',
    async (t, env) => {
      const W = (globalThis as unknown as { WebSocketStream: new (...a: unknown[]) => any }).WebSocketStream;
      for (const [label, make] of [
        ['a resizable buffer', () => new ArrayBuffer(4, { maxByteLength: 8 })],
        ['a Symbol', () => Symbol('s')],
      ] as const) {
        const stream = new W(`${env.ws}/echo`);
        const { writable } = await stream.opened;
        const writer = writable.getWriter();
        t.log(`${label}: write`, await t.outcome(writer.write(make())));
        t.log(`${label}: writer closed`, await t.outcome(writer.closed, 500));
        t.log(`${label}: stream closed`, await t.outcome(stream.closed, 500));
        stream.close();
      }
    },
    { only },
  ),

  scenario(
    'WebSocketStream: writing SharedArrayBuffers, in a cross-origin isolated page',
    async (t, env) => {
      const W = (globalThis as unknown as { WebSocketStream: new (...a: unknown[]) => any }).WebSocketStream;
      const shared = new SharedArrayBuffer(4);
      for (const [label, chunk] of [
        ['a SharedArrayBuffer', shared],
        ['a view on one', new Uint8Array(shared)],
      ] as const) {
        const stream = new W(`${env.ws}/echo`);
        const { writable } = await stream.opened;
        const writer = writable.getWriter();
        t.log(`${label}: write`, await t.outcome(writer.write(chunk)));
        t.log(`${label}: stream closed`, await t.outcome(stream.closed, 500));
        stream.close();
      }
    },
    { only, isolated: true },
  ),

  scenario(
    'WebSocketStream: the server closes, with and without a code',
    async (t, env) => {
      const W = (globalThis as unknown as { WebSocketStream: new (...a: unknown[]) => any }).WebSocketStream;
      for (const path of ['/close?code=4002&reason=server', '/close', '/drop']) {
        const stream = new W(`${env.ws}${path}`);
        const { readable, writable } = await stream.opened;
        const reader = readable.getReader();
        const writer = writable.getWriter();
        // The server drops the connection at the page's first message.
        if (path === '/drop') await writer.write('drop');
        t.log(`${path}: read`, await reader.read().then((r: unknown) => t.show(r), (e: unknown) => t.show(e)));
        t.log(`${path}: closed`, await stream.closed.then((c: unknown) => c, (e: unknown) => [t.show(e), (e as { closeCode?: number }).closeCode]));
        t.log(`${path}: writer`, await writer.closed.then(() => 'closed', (e: unknown) => t.show(e)));
        const errors: unknown[] = [];
        await reader.closed.catch((e: unknown) => errors.push(e));
        await writer.closed.catch((e: unknown) => errors.push(e));
        t.log(`${path}: both streams errored with one object`, errors.length === 2 ? errors[0] === errors[1] : errors.length);
      }
    },
    { only },
  ),

  scenario(
    'WebSocketStream: a failed handshake rejects opened and closed, in that order',
    async (t, env) => {
      const W = (globalThis as unknown as { WebSocketStream: new (...a: unknown[]) => any }).WebSocketStream;
      const stream = new W(`${env.ws}/status?code=404`);
      const order: string[] = [];
      const opened = stream.opened.then(() => order.push('opened'), (e: unknown) => (order.push('opened rejected'), t.show(e)));
      const closed = stream.closed.then(() => order.push('closed'), (e: unknown) => (order.push('closed rejected'), t.show(e)));
      t.log('results', await Promise.all([opened, closed]));
      t.log('order', order);
    },
    { only },
  ),

  scenario(
    'WebSocketStream: abort during the handshake, and after open',
    async (t, env) => {
      const W = (globalThis as unknown as { WebSocketStream: new (...a: unknown[]) => any }).WebSocketStream;
      const during = new AbortController();
      const slow = new W(`${env.ws}/delay?ms=300`, { signal: during.signal });
      during.abort();
      t.log('during: opened', await slow.opened.then(() => 'opened', (e: unknown) => t.show(e)));
      t.log('during: closed', await slow.closed.then(() => 'closed', (e: unknown) => t.show(e)));
      const after = new AbortController();
      const stream = new W(`${env.ws}/echo`, { signal: after.signal });
      await stream.opened;
      after.abort();
      const { writable, readable } = await stream.opened;
      const writer = writable.getWriter();
      await writer.write('still works');
      t.log('after: echo', (await readable.getReader().read()).value);
      stream.close();
      t.log('after: closed', await stream.closed);
    },
    { only },
  ),

  scenario(
    'WebSocketStream: cancel and abort with a WebSocketError',
    async (t, env) => {
      const W = (globalThis as unknown as { WebSocketStream: new (...a: unknown[]) => any }).WebSocketStream;
      const E = (globalThis as unknown as { WebSocketError: new (...a: unknown[]) => any }).WebSocketError;
      const one = new W(`${env.ws}/echo`);
      const a = await one.opened;
      t.log('cancel', await a.readable.cancel(new E('gone', { closeCode: 4010, reason: 'cancelled' })).then(() => 'ok', (e: unknown) => t.show(e)));
      t.log('closed after cancel', await one.closed.then((c: unknown) => c, (e: unknown) => t.show(e)));
      const two = new W(`${env.ws}/echo`);
      const b = await two.opened;
      t.log('abort', await b.writable.abort(new E('gone', { closeCode: 4011 })).then(() => 'ok', (e: unknown) => t.show(e)));
      t.log('closed after abort', await two.closed.then((c: unknown) => c, (e: unknown) => t.show(e)));
    },
    { only },
  ),

  ...cases(
    ([label]) => `WebSocketError constructed with ${label}`,
    ERRORS,
    (t, _env, [, source]: [string, string]) => {
      const E = (globalThis as unknown as { WebSocketError: new (...a: unknown[]) => any }).WebSocketError;
      const args = new Function(`return (${source});`)() as unknown[];
      const error = t.attempt('new', () => new E(...args));
      if (!error) return;
      t.log('fields', [error.name, error.message, error.code, error.closeCode, error.reason]);
      t.log('own keys', Reflect.ownKeys(error).map(String));
      t.log('class', [error instanceof E, error instanceof DOMException, error instanceof Error, Object.prototype.toString.call(error)]);
    },
  ).map((s) => ({ ...s, only })),

  scenario(
    'WebSocketError: getters with a wrong receiver, and a subclass',
    (t) => {
      const E = (globalThis as unknown as { WebSocketError: new (...a: unknown[]) => any }).WebSocketError;
      for (const name of ['closeCode', 'reason']) {
        t.attemptName(`${name} on a DOMException`, () => Object.getOwnPropertyDescriptor(E.prototype, name)!.get!.call(new DOMException('x')));
      }
      class Sub extends E {}
      const sub = new Sub('s', { closeCode: 4321 });
      t.log('subclass', [sub instanceof Sub, sub instanceof E, sub.closeCode, sub.name, Object.prototype.toString.call(sub)]);
      t.log('prototype chain', [Object.getPrototypeOf(E) === DOMException, Object.getPrototypeOf(E.prototype) === DOMException.prototype]);
    },
    { only },
  ),

  scenario(
    'WebSocketStream: messages the server sent before closing are still read after it closed',
    async (t, env) => {
      const W = (globalThis as unknown as { WebSocketStream: new (...a: unknown[]) => any }).WebSocketStream;
      const stream = new W(`${env.ws}/close?before=3&code=4003&reason=done`);
      const { readable } = await stream.opened;
      t.log('closed', await stream.closed);
      const reader = readable.getReader();
      for (let i = 0; i < 4; i++) t.log('read', await t.outcome(reader.read()));
    },
    { only },
  ),

  scenario(
    'WebSocketStream: the order in which a server close settles the promises',
    async (t, env) => {
      const W = (globalThis as unknown as { WebSocketStream: new (...a: unknown[]) => any }).WebSocketStream;
      const stream = new W(`${env.ws}/close?code=4004`);
      const { readable, writable } = await stream.opened;
      const reader = readable.getReader();
      const writer = writable.getWriter();
      const order: string[] = [];
      const settled = (label: string, p: Promise<unknown>) => p.then(() => order.push(`${label} fulfilled`), () => order.push(`${label} rejected`));
      await Promise.all([settled('closed', stream.closed), settled('read', reader.read()), settled('reader.closed', reader.closed), settled('writer.closed', writer.closed)]);
      t.log('order', order);
    },
    { only },
  ),

  scenario(
    'WebSocketStream: closing the writer starts the closing handshake',
    async (t, env) => {
      const W = (globalThis as unknown as { WebSocketStream: new (...a: unknown[]) => any }).WebSocketStream;
      const stream = new W(`${env.ws}/echo`);
      const { readable, writable } = await stream.opened;
      const writer = writable.getWriter();
      const reader = readable.getReader();
      await writer.write('before');
      t.log('echo', await t.outcome(reader.read()));
      t.log('close', await t.outcome(writer.close()));
      t.log('write after close', await t.outcome(writer.write('after')));
      t.log('read', await t.outcome(reader.read()));
      t.log('closed', await t.outcome(stream.closed));
    },
    { only },
  ),

  scenario(
    'WebSocketStream: cancelling the readable with no reason, then writing once closed',
    async (t, env) => {
      const W = (globalThis as unknown as { WebSocketStream: new (...a: unknown[]) => any }).WebSocketStream;
      const stream = new W(`${env.ws}/echo`);
      const { readable, writable } = await stream.opened;
      t.log('cancel', await t.outcome(readable.cancel()));
      // Not while the closing handshake runs: Chromium 156's renderer sometimes crashes (natively) on a write then.
      t.log('closed', await t.outcome(stream.closed));
      const writer = writable.getWriter();
      t.log('write', await t.outcome(writer.write('x')));
      t.log('writer closed', await t.outcome(writer.closed));
    },
    { only },
  ),

  scenario(
    'WebSocketStream: errors carry closeCode and reason, and abort reuses one error',
    async (t, env) => {
      const W = (globalThis as unknown as { WebSocketStream: new (...a: unknown[]) => any }).WebSocketStream;
      const failed = new W(`${env.ws}/status?code=404`);
      const errors = await Promise.all([failed.opened.catch((e: unknown) => e), failed.closed.catch((e: unknown) => e)]);
      t.log('handshake failure', [errors[0] === errors[1], t.show(errors[0]), t.show(errors[1])]);
      const controller = new AbortController();
      const aborted = new W(`${env.ws}/delay?ms=300`, { signal: controller.signal });
      controller.abort(new RangeError('why'));
      const abortErrors = await Promise.all([aborted.opened.catch((e: unknown) => e), aborted.closed.catch((e: unknown) => e)]);
      t.log('abort', [abortErrors[0] === abortErrors[1], t.show(abortErrors[0]), aborted.url]);
      t.log('url after a failure', failed.url);
    },
    { only },
  ),

  scenario(
    'WebSocketStream: the readable is not a byte stream, and tees',
    async (t, env) => {
      const W = (globalThis as unknown as { WebSocketStream: new (...a: unknown[]) => any }).WebSocketStream;
      const stream = new W(`${env.ws}/greet?text=hello`);
      const { readable } = await stream.opened;
      t.attemptName('a BYOB reader', () => readable.getReader({ mode: 'byob' }));
      const [a, b] = readable.tee();
      t.log('tee', [(await a.getReader().read()).value, (await b.getReader().read()).value]);
      stream.close();
      t.log('closed', await t.outcome(stream.closed));
    },
    { only },
  ),

  scenario(
    'WebSocketStream: a read pending when the page closes ends as done',
    async (t, env) => {
      const W = (globalThis as unknown as { WebSocketStream: new (...a: unknown[]) => any }).WebSocketStream;
      const stream = new W(`${env.ws}/sink`);
      const { readable } = await stream.opened;
      const read = t.outcome(readable.getReader().read());
      stream.close({ closeCode: 4012, reason: 'pending' });
      t.log('read', await read);
      t.log('closed', await t.outcome(stream.closed));
    },
    { only },
  ),

  scenario(
    'WebSocketStream: ready and desiredSize while a large write waits for a slow server',
    async (t, env) => {
      const W = (globalThis as unknown as { WebSocketStream: new (...a: unknown[]) => any }).WebSocketStream;
      const stream = new W(`${env.ws}/slow-read?ms=1500`);
      const { writable } = await stream.opened;
      const writer = writable.getWriter();
      let ready = false;
      const write = writer.write(new Uint8Array(16 << 20));
      writer.ready.then(() => (ready = true));
      t.log('desiredSize', writer.desiredSize);
      await t.sleep(300);
      t.log('ready after 300 ms', ready);
      t.log('write after 300 ms', await t.outcome(write, 0));
      t.log('write', await t.outcome(write, 10_000));
      t.log('desiredSize after', writer.desiredSize);
      stream.close();
      t.log('closed', await t.outcome(stream.closed, 5_000));
    },
    { only },
  ),

  scenario(
    'WebSocketError: defaults and validation',
    (t) => {
      const E = (globalThis as unknown as { WebSocketError: new (...a: unknown[]) => any }).WebSocketError;
      const show = (e: any) => [e.name, e.message, e.closeCode, e.reason, e instanceof DOMException, Object.prototype.toString.call(e)];
      t.log('no arguments', show(new E()));
      t.log('a message', show(new E('m')));
      t.log('a code', show(new E('m', { closeCode: 4000 })));
      t.log('a reason alone', show(new E('m', { reason: 'r' })));
      t.attempt('a bad code', () => new E('m', { closeCode: 1001 }));
      t.attempt('a long reason', () => new E('m', { closeCode: 1000, reason: 'r'.repeat(124) }));
      t.attempt('without new', () => (E as unknown as () => unknown)());
    },
    { only },
  ),

  ...cases(
    ([owner, key]) => `WebSocketStream: a page that patched ${owner}.${key} sees only its own calls`,
    [
      ['ReadableStreamDefaultReader.prototype', 'read'],
      ['ReadableStream.prototype', 'getReader'],
      ['WritableStreamDefaultWriter.prototype', 'write'],
      ['WritableStream.prototype', 'getWriter'],
      ['ReadableStreamDefaultController.prototype', 'enqueue'],
      ['Promise.prototype', 'then'],
      ['window', 'ReadableStream'],
      ['window', 'WritableStream'],
    ] as [string, string][],
    async (t, env, [ownerSource, key]: [string, string]) => {
      const owner = new Function(`return (${ownerSource});`)() as Record<string, unknown>;
      const descriptor = Object.getOwnPropertyDescriptor(owner, key)!;
      const original = descriptor.value as (...args: unknown[]) => unknown;
      const apply = Reflect.apply;
      const construct = Reflect.construct;
      let calls = 0;
      const wrapper = new Proxy(original, {
        apply(target, self, args) {
          calls++;
          return apply(target, self, args);
        },
        construct(target, args, newTarget) {
          calls++;
          return construct(target, args, newTarget);
        },
      });
      Object.defineProperty(owner, key, { ...descriptor, value: wrapper });
      try {
        const W = (globalThis as unknown as { WebSocketStream: new (...a: unknown[]) => any }).WebSocketStream;
        const stream = new W(`${env.ws}/echo`);
        const { readable, writable } = await stream.opened;
        const start = calls;
        const writer = writable.getWriter();
        const reader = readable.getReader();
        await writer.write('x');
        await reader.read();
        stream.close();
        await stream.closed;
        t.log('calls during the exchange', calls - start);
      } finally {
        Object.defineProperty(owner, key, descriptor);
      }
    },
  ).map((s) => ({ ...s, only })),

  scenario(
    'WebSocketStream: opened and closed are stable, and their values are plain objects',
    async (t, env) => {
      const W = (globalThis as unknown as { WebSocketStream: new (...a: unknown[]) => any }).WebSocketStream;
      const stream = new W(`${env.ws}/protocol?select=b`, { protocols: ['a', 'b'] });
      t.log('same promises', [stream.opened === stream.opened, stream.closed === stream.closed]);
      const first = await stream.opened;
      const second = await stream.opened;
      t.log('same value', first === second);
      t.log('opened descriptors', t.descriptors(first));
      t.log('stream classes', [first.readable instanceof ReadableStream, first.writable instanceof WritableStream]);
      t.log('locked', [first.readable.locked, first.writable.locked]);
      const reader = first.readable.getReader();
      t.attempt('a second reader', () => first.readable.getReader());
      t.attempt('a writer', () => first.writable.getWriter());
      t.attempt('another writer', () => first.writable.getWriter());
      reader.releaseLock();
      t.log('locked after release', first.readable.locked);
      stream.close({ closeCode: 1000 });
      const closed = await stream.closed;
      t.log('closed descriptors', t.descriptors(closed));
    },
    { only },
  ),

  scenario(
    'WebSocketStream: prototype members with a wrong receiver',
    (t) => {
      const W = (globalThis as unknown as { WebSocketStream: Function }).WebSocketStream;
      for (const name of ['url', 'opened', 'closed']) {
        t.attempt(`${name} getter on a plain object`, () => Object.getOwnPropertyDescriptor(W.prototype, name)!.get!.call({}));
      }
      t.attempt('close on a plain object', () => (W.prototype as { close: Function }).close.call({}));
      t.attempt('called without new', () => (W as unknown as (url: string) => unknown)('ws://127.0.0.1:1/'));
    },
    { only },
  ),

  scenario(
    'WebSocketStream: a subclass',
    async (t, env) => {
      const W = (globalThis as unknown as { WebSocketStream: new (...a: unknown[]) => any }).WebSocketStream;
      class Sub extends W {
        hello() {
          return 'sub';
        }
      }
      const stream = new Sub(`${env.ws}/echo`);
      t.log('instanceof', [stream instanceof Sub, stream instanceof W]);
      t.log('method', stream.hello());
      const { readable, writable } = await stream.opened;
      await writable.getWriter().write('through a subclass');
      t.log('echo', (await readable.getReader().read()).value);
      stream.close();
      t.log('closed', await stream.closed);
    },
    { only },
  ),

  scenario(
    'WebSocketStream: async iteration, breaking out cancels',
    async (t, env) => {
      const W = (globalThis as unknown as { WebSocketStream: new (...a: unknown[]) => any }).WebSocketStream;
      const stream = new W(`${env.ws}/many?n=5&size=3`);
      const { readable } = await stream.opened;
      const seen: unknown[] = [];
      for await (const chunk of readable) {
        seen.push(chunk);
        if (seen.length === 3) break;
      }
      t.log('seen', seen);
      t.log('closed', await t.outcome(stream.closed));
    },
    { only },
  ),

  scenario(
    'WebSocketStream: piping the readable into a WritableStream of the page',
    async (t, env) => {
      const W = (globalThis as unknown as { WebSocketStream: new (...a: unknown[]) => any }).WebSocketStream;
      const stream = new W(`${env.ws}/many?n=4&size=2`);
      const { readable } = await stream.opened;
      const got: unknown[] = [];
      const sink = new WritableStream({
        write(chunk) {
          got.push(chunk);
          if (got.length === 4) stream.close({ closeCode: 4005 });
        },
      });
      t.log('pipe', await t.outcome(readable.pipeTo(sink)));
      t.log('got', got);
      t.log('closed', await t.outcome(stream.closed));
    },
    { only },
  ),

  scenario(
    'WebSocketStream: writes in flight when the stream closes',
    async (t, env) => {
      const W = (globalThis as unknown as { WebSocketStream: new (...a: unknown[]) => any }).WebSocketStream;
      // Small writes: Chromium 156's renderer crashes (natively too) when close() meets a 4 MiB write in flight.
      const stream = new W(`${env.ws}/slow-read?ms=500`);
      const { writable } = await stream.opened;
      const writer = writable.getWriter();
      const writes = [1, 2, 3].map(() => t.outcome(writer.write(new Uint8Array(1024)), 3_000));
      stream.close({ closeCode: 4006 });
      writes.push(t.outcome(writer.write('after close()'), 3_000));
      t.log('writes', await Promise.all(writes));
      t.log('writer closed', await t.outcome(writer.closed, 3_000));
      t.log('closed', await t.outcome(stream.closed, 3_000));
    },
    { only },
  ),

  scenario(
    'WebSocketStream: many messages arrive in order with their types',
    async (t, env) => {
      const W = (globalThis as unknown as { WebSocketStream: new (...a: unknown[]) => any }).WebSocketStream;
      for (const binary of [false, true]) {
        const stream = new W(`${env.ws}/many?n=10&size=70000${binary ? '&binary=1' : ''}`);
        const { readable } = await stream.opened;
        const reader = readable.getReader();
        const seen: unknown[] = [];
        for (let i = 0; i < 10; i++) {
          const { value } = await reader.read();
          seen.push([Object.prototype.toString.call(value), typeof value === 'string' ? value.length : (value as ArrayBuffer).byteLength]);
        }
        t.log(binary ? 'binary' : 'text', seen);
        stream.close();
        await stream.closed;
      }
    },
    { only },
  ),

  scenario(
    'WebSocketStream: close() twice, and after the stream closed',
    async (t, env) => {
      const W = (globalThis as unknown as { WebSocketStream: new (...a: unknown[]) => any }).WebSocketStream;
      const stream = new W(`${env.ws}/echo`);
      await stream.opened;
      t.attempt('first', () => stream.close({ closeCode: 4007, reason: 'first' }));
      t.attempt('second', () => stream.close({ closeCode: 4008, reason: 'second' }));
      t.log('closed', await stream.closed);
      t.attempt('after closed', () => stream.close());
      t.attempt('a bad code after closed', () => stream.close({ closeCode: 1 }));
    },
    { only },
  ),

  scenario(
    'WebSocketStream: close() while connecting',
    async (t, env) => {
      const W = (globalThis as unknown as { WebSocketStream: new (...a: unknown[]) => any }).WebSocketStream;
      const stream = new W(`${env.ws}/delay?ms=300`);
      t.attempt('close', () => stream.close({ closeCode: 4009 }));
      t.log('opened', await t.outcome(stream.opened, 3_000));
      t.log('closed', await t.outcome(stream.closed, 3_000));
    },
    { only },
  ),

  scenario(
    'WebSocketStream: the page cancels its reader and aborts its writer with plain reasons',
    async (t, env) => {
      const W = (globalThis as unknown as { WebSocketStream: new (...a: unknown[]) => any }).WebSocketStream;
      const stream = new W(`${env.ws}/echo`);
      const { readable, writable } = await stream.opened;
      t.log('cancel', await t.outcome(readable.getReader().cancel('plain reason')));
      t.log('closed', await t.outcome(stream.closed));
      t.log('abort after', await t.outcome(writable.abort(new TypeError('t'))));
    },
    { only },
  ),
];
