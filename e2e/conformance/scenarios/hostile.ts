// Hostile arguments (throwing getters and conversions, proxies, huge and
// detached data) fail as native, at the same moment; and sockets live and die
// as native ones do when the page lets go of them.
import { scenario, type Scenario } from '../scenario';

export const hostileScenarios: Scenario[] = [
  scenario('close() arguments whose conversion throws, and the order of conversion', async (t, env) => {
    const ws = new WebSocket(`${env.ws}/echo`);
    t.watch(ws);
    await t.next(ws, 'open');
    const order: string[] = [];
    const thrown = new EvalError('from valueOf');
    t.attempt('code valueOf throws', () => ws.close({ valueOf: () => { throw thrown; } } as unknown as number));
    t.attempt('reason toString throws', () => ws.close(1000, { toString: () => { throw thrown; } } as unknown as string));
    t.attempt('both converted, code first', () =>
      ws.close(
        { valueOf: () => (order.push('code'), 1) } as unknown as number,
        { toString: () => (order.push('reason'), 'r') } as unknown as string,
      ),
    );
    t.log('conversion order', order);
    t.log('still open', ws.readyState);
    ws.close();
    await t.closed(ws);
  }),

  scenario('binaryType set to values whose conversion throws', async (t, env) => {
    const ws = new WebSocket(`${env.ws}/echo`);
    const thrown = new Error('from toString');
    t.attempt('toString throws', () => ((ws as unknown as { binaryType: unknown }).binaryType = { toString: () => { throw thrown; } }));
    t.attempt('a Symbol', () => ((ws as unknown as { binaryType: unknown }).binaryType = Symbol('s')));
    t.log('binaryType', ws.binaryType);
    ws.close();
    await t.closed(ws);
  }),

  scenario('a Proxy as the URL: only its conversion runs, once', (t, env) => {
    const traps: string[] = [];
    const url = new Proxy(
      { toString: () => `${env.ws}/echo` },
      {
        get(target, key, receiver) {
          traps.push(`get ${String(key)}`);
          return Reflect.get(target, key, receiver);
        },
      },
    );
    const ws = t.attempt('new', () => new WebSocket(url as unknown as string));
    t.log('traps', traps);
    ws?.close();
  }),

  scenario('a Proxy as the protocols: conversion errors and results as native', async (t, env) => {
    // One socket at a time: two sockets' events would interleave as the network pleases.
    const open = async (label: string, protocols: string[]) => {
      const ws = t.attempt(label, () => new WebSocket(`${env.ws}/protocol?select=chat`, protocols));
      if (!ws) return;
      t.watch(ws, label);
      await Promise.race([t.next(ws, 'open'), t.next(ws, 'close')]);
      ws.close();
      await t.closed(ws);
    };
    const thrown = new Error('from the trap');
    await open('a transparent Proxy', new Proxy(['chat'], {}));
    await open(
      'a Proxy whose iterator read throws',
      new Proxy(['chat'], {
        get(target, key, receiver) {
          if (key === Symbol.iterator) throw thrown;
          return Reflect.get(target, key, receiver);
        },
      }),
    );
    await open(
      'a Proxy whose descriptor trap throws',
      new Proxy(['chat'], {
        getOwnPropertyDescriptor() {
          throw thrown;
        },
      }),
    );
  }),

  scenario('an enormous subprotocol list', async (t, env) => {
    const protocols = Array.from({ length: 5_000 }, (_, i) => `p${i}`);
    const ws = t.attempt('new', () => new WebSocket(`${env.ws}/protocol?select=p4999`, protocols));
    if (!ws) return;
    t.watch(ws);
    await Promise.race([t.next(ws, 'open'), t.next(ws, 'close')]);
    ws.close();
    await t.closed(ws);
  }),

  scenario('a URL of two million characters', async (t, env) => {
    const ws = t.attempt('new', () => new WebSocket(`${env.ws}/echo?${'q'.repeat(2_000_000)}`));
    if (!ws) return;
    t.log('url length', ws.url.length);
    t.watch(ws);
    await Promise.race([t.next(ws, 'open'), t.next(ws, 'close')]);
    ws.close();
    await t.closed(ws);
  }),

  // Three times the shim's history budget and far past every relay bound; larger only costs CI time.
  scenario('a 24 MB buffer and a 24 MB Blob', async (t, env) => {
    const ws = new WebSocket(`${env.ws}/sink`);
    t.watch(ws);
    await t.next(ws, 'open');
    const big = new Uint8Array(24 * 1024 * 1024);
    big[big.length - 1] = 7;
    t.attempt('send the buffer', () => ws.send(big));
    t.log('bufferedAmount', ws.bufferedAmount);
    t.attempt('send a Blob of it', () => ws.send(new Blob([big])));
    t.log('bufferedAmount', ws.bufferedAmount);
    ws.close();
    await t.closed(ws, 20_000);
  }),

  scenario('a 10 MB text message both ways', async (t, env) => {
    const ws = new WebSocket(`${env.ws}/echo`);
    await t.next(ws, 'open');
    const text = 'é'.repeat(5 * 1024 * 1024);
    ws.send(text);
    t.log('bufferedAmount', ws.bufferedAmount);
    const event = (await t.next(ws, 'message', 20_000)) as MessageEvent | null;
    t.log('echo length and equality', event && [(event.data as string).length, event.data === text]);
    ws.close();
    await t.closed(ws);
  }),

  scenario('a buffer the page changes right after send', async (t, env) => {
    const ws = new WebSocket(`${env.ws}/echo`);
    ws.binaryType = 'arraybuffer';
    await t.next(ws, 'open');
    const bytes = new Uint8Array([1, 2, 3]);
    ws.send(bytes);
    bytes[0] = 9;
    structuredClone(bytes.buffer, { transfer: [bytes.buffer] });
    const event = (await t.next(ws, 'message')) as MessageEvent;
    t.log('echo', await t.bytes(event.data));
    ws.close();
    await t.closed(ws);
  }),

  scenario('a received ArrayBuffer the page detaches at once', async (t, env) => {
    const ws = new WebSocket(`${env.ws}/greet?binary=AQID`);
    ws.binaryType = 'arraybuffer';
    const seen: unknown[] = [];
    ws.addEventListener('message', (event) => {
      const buffer = event.data as ArrayBuffer;
      seen.push(buffer.byteLength);
      structuredClone(buffer, { transfer: [buffer] });
      seen.push(buffer.byteLength);
    });
    ws.addEventListener('message', (event) => seen.push((event.data as ArrayBuffer).byteLength));
    await t.next(ws, 'message');
    t.log('byte lengths', seen);
    ws.close();
    await t.closed(ws);
  }),

  scenario('listener objects whose handleEvent getter throws', async (t, env) => {
    const ws = new WebSocket(`${env.ws}/greet?text=x`);
    const reports: string[] = [];
    const onError = (event: ErrorEvent) => {
      reports.push(String((event.error as Error)?.message));
      event.preventDefault();
    };
    window.addEventListener('error', onError);
    ws.addEventListener('message', {
      get handleEvent(): () => void {
        throw new Error('from the handleEvent getter');
      },
    });
    ws.addEventListener('message', () => reports.push('next listener ran'));
    await t.until(() => reports.length >= 2);
    window.removeEventListener('error', onError);
    t.log('reports', reports);
    ws.close();
    await t.closed(ws);
  }),

  scenario('a socket with only a message listener and no reference keeps working', async (t, env) => {
    const received: string[] = [];
    (() => {
      const ws = new WebSocket(`${env.ws}/later?ms=400&text=late&tag=held-${env.config}`);
      ws.addEventListener('message', (event) => {
        received.push(event.data as string);
        ws.close();
      });
    })();
    const gc = (globalThis as { gc?: () => void }).gc;
    t.log('gc available', typeof gc);
    for (let i = 0; i < 3; i++) {
      await t.sleep(50);
      gc?.();
    }
    await t.until(() => received.length > 0);
    t.log('received', received);
  }),

  scenario('a socket the page drops without listeners', async (t, env) => {
    const tag = `dropped-${env.config}`;
    (() => {
      new WebSocket(`${env.ws}/echo?tag=${tag}`);
    })();
    const alive = async (): Promise<boolean> => (await fetch(`${env.http}/alive?tag=${tag}`)).json();
    let open = false;
    for (let i = 0; i < 50 && !open; i++) open = (await alive()) || (await t.sleep(20), false);
    t.log('alive after open', open);
    const gc = (globalThis as { gc?: () => void }).gc;
    for (let i = 0; i < 3; i++) {
      gc?.();
      await t.sleep(100);
    }
    t.log('alive after collection', await alive());
  }),
];
