// Events: order, fields, failures, on* attributes, listener options, errors thrown by listeners.
import { cases, scenario, type Scenario } from '../scenario';

/** Endpoints whose whole life is watched: path, and how many messages the page waits for before it closes (null: it waits for the server's close). */
const LIVES: [label: string, path: string, messages: number | null][] = [
  ['the server greets, the page closes', '/greet?text=hi', 1],
  ['the server closes with a code and reason', '/close?code=4000&reason=bye', null],
  ['the server closes with 1000 and no reason', '/close?code=1000', null],
  // Distinct messages in a burst: their order, and that none is lost before the server's close, show.
  ['the server sends ten messages, then closes', '/close?before=10&code=4001&reason=done', null],
  // The page is CLOSING from the server's Close until the connection ends: messages sent before it still come while OPEN.
  ['the server sends ten messages, closes, and ends the connection late', '/late-end?before=10&ms=300', null],
  ['the server closes with an empty Close frame', '/close', null],
  ['the server drops the connection', '/drop', null],
  ['the server answers 404', '/status?code=404', null],
  ['the server answers 500', '/status?code=500', null],
  ['the server answers with a wrong accept key', '/bad-accept', null],
  ['nothing listens on the port', '@refused', null],
  ['the server sends many large text messages', '/many?n=20&size=65536', 20],
  ['the server sends many large binary messages', '/many?n=20&size=65536&binary=1', 20],
];

export const eventScenarios: Scenario[] = [
  ...cases(
    ([label]) => `events when ${label}`,
    LIVES,
    async (t, env, [, path, messages]: [string, string, number | null]) => {
      // Port 9 (discard) has nothing listening on loopback here.
      const ws = new WebSocket(path === '@refused' ? 'ws://127.0.0.1:9/' : `${env.ws}${path}`);
      ws.binaryType = 'arraybuffer';
      t.watch(ws);
      // The server drops the connection at the page's first message.
      if (path === '/drop') ws.addEventListener('open', () => ws.send('drop'));
      let received = 0;
      ws.addEventListener('message', () => received++);
      if (messages !== null) {
        await t.until(() => received === messages);
        ws.close();
      }
      await t.closed(ws);
    },
  ),

  scenario('on* attributes: null by default, functions kept, anything else read back as null', async (t, env) => {
    const ws = new WebSocket(`${env.ws}/echo`);
    const handlers = ['onopen', 'onmessage', 'onerror', 'onclose'] as const;
    t.log('defaults', handlers.map((h) => ws[h]));
    const fn = () => {};
    const values: [string, unknown][] = [
      ['a function', fn],
      ['an object with handleEvent', { handleEvent() {} }],
      ['a string', 'alert(1)'],
      ['a number', 1],
      ['undefined', undefined],
      ['a class', class {}],
      ['a Proxy of a function', new Proxy(fn, {})],
      ['null', null],
    ];
    for (const [label, value] of values) {
      t.attempt(`set onmessage to ${label}`, () => {
        (ws as unknown as { onmessage: unknown }).onmessage = value;
        return ws.onmessage === value ? 'same' : ws.onmessage;
      });
    }
    ws.close();
    await t.closed(ws);
  }),

  scenario('on* handlers and listeners run in registration order; replacing a handler keeps its place', async (t, env) => {
    const ws = new WebSocket(`${env.ws}/echo`);
    await t.next(ws, 'open');
    const order: string[] = [];
    ws.addEventListener('message', () => order.push('A'));
    ws.onmessage = () => order.push('B');
    ws.addEventListener('message', () => order.push('C'));
    ws.send('1');
    await t.next(ws, 'message');
    order.push('|');
    ws.onmessage = () => order.push('D');
    ws.send('2');
    await t.next(ws, 'message');
    order.push('|');
    ws.onmessage = null;
    ws.onmessage = () => order.push('E');
    ws.send('3');
    await t.next(ws, 'message');
    t.log('order', order);
    ws.close();
    await t.closed(ws);
  }),

  scenario('listener options: once, signal, capture, handleEvent objects, duplicates', async (t, env) => {
    const ws = new WebSocket(`${env.ws}/echo`);
    await t.next(ws, 'open');
    const calls: string[] = [];
    const controller = new AbortController();
    const dup = () => calls.push('dup');
    const handler = {
      name: 'object',
      handleEvent(this: { name: string }, event: Event) {
        calls.push(`${this.name}:${event.type}`);
      },
    };
    ws.addEventListener('message', () => calls.push('bubble'));
    ws.addEventListener('message', () => calls.push('capture'), true);
    ws.addEventListener('message', () => calls.push('once'), { once: true });
    ws.addEventListener('message', () => calls.push('signal'), { signal: controller.signal });
    ws.addEventListener('message', dup);
    ws.addEventListener('message', dup);
    ws.addEventListener('message', dup, { capture: true });
    ws.addEventListener('message', handler);
    ws.addEventListener('message', () => calls.push('passive'), { passive: true });
    for (let i = 0; i < 3; i++) {
      ws.send(`${i}`);
      await t.next(ws, 'message');
      calls.push('|');
      if (i === 0) controller.abort();
      if (i === 1) {
        handler.handleEvent = function (this: { name: string }) {
          calls.push(`${this.name}:swapped`);
        };
        ws.removeEventListener('message', dup, true);
      }
    }
    t.log('calls', calls);
    const aborted = new AbortController();
    aborted.abort();
    ws.addEventListener('message', () => calls.push('never'), { signal: aborted.signal });
    ws.removeEventListener('message', () => {});
    t.log('after', calls.length);
    ws.close();
    await t.closed(ws);
  }),

  scenario('this, target and currentTarget are the page socket in every kind of listener', async (t, env) => {
    const ws = new WebSocket(`${env.ws}/echo`);
    const seen: unknown[] = [];
    ws.onopen = function (this: unknown, event) {
      seen.push(['onopen', this === ws, event.target === ws, event.currentTarget === ws]);
    };
    ws.addEventListener('open', function (this: unknown, event) {
      seen.push(['listener', this === ws, event.target === ws, event.currentTarget === ws]);
    });
    ws.addEventListener('open', {
      handleEvent(event: Event) {
        seen.push(['handleEvent', (this as unknown) !== ws, event.target === ws, event.composedPath().length, event.composedPath()[0] === ws]);
      },
    });
    await t.next(ws, 'open');
    t.log('seen', seen);
    ws.close();
    await t.closed(ws);
  }),

  scenario('an exception in a listener is reported to the window and later listeners still run', async (t, env) => {
    const ws = new WebSocket(`${env.ws}/greet?text=boom`);
    const thrown = new Error('from a listener');
    const reports: unknown[] = [];
    const onError = (event: ErrorEvent) => {
      reports.push([event.error === thrown, event.message, event.lineno > 0, event.colno > 0, String(event.filename).includes('page.html')]);
      event.preventDefault();
    };
    window.addEventListener('error', onError);
    ws.addEventListener('message', () => {
      throw thrown;
    });
    ws.onmessage = () => {
      throw new TypeError('from onmessage');
    };
    const after = t.next(ws, 'message');
    ws.addEventListener('message', () => reports.push('later listener ran'));
    await after;
    await t.sleep(20);
    window.removeEventListener('error', onError);
    t.log('reports', reports.map((r) => (Array.isArray(r) ? r.slice(0, 1).concat(r.slice(2)) : r)));
    t.log('messages', reports.map((r) => (Array.isArray(r) ? r[1] : r)));
    ws.close();
    await t.closed(ws);
  }),

  scenario('stopImmediatePropagation and preventDefault in page listeners', async (t, env) => {
    const ws = new WebSocket(`${env.ws}/greet?text=x`);
    const calls: unknown[] = [];
    ws.addEventListener('message', (event) => {
      event.preventDefault();
      calls.push(['first', event.defaultPrevented, event.cancelBubble]);
      event.stopImmediatePropagation();
      calls.push(['stopped', event.cancelBubble]);
    });
    ws.addEventListener('message', () => calls.push('second'));
    ws.onmessage = () => calls.push('handler');
    await t.until(() => calls.length > 0);
    await t.sleep(20);
    t.log('calls', calls);
    ws.close();
    await t.closed(ws);
  }),

  scenario('events the page dispatches itself reach its listeners, untrusted', async (t, env) => {
    const ws = new WebSocket(`${env.ws}/echo`);
    t.watch(ws);
    await t.next(ws, 'open');
    t.attempt('dispatch a MessageEvent', () => ws.dispatchEvent(new MessageEvent('message', { data: 'forged', origin: 'x' })));
    t.attempt('dispatch a plain message Event', () => ws.dispatchEvent(new Event('message')));
    t.attempt('dispatch a CloseEvent', () => ws.dispatchEvent(new CloseEvent('close', { code: 4444, reason: 'forged', wasClean: true })));
    t.attempt('dispatch a cancelable open', () => ws.dispatchEvent(new Event('open', { cancelable: true })));
    t.attempt('dispatch an error', () => ws.dispatchEvent(new Event('error')));
    t.log('state', t.state(ws));
    ws.send('real');
    await t.next(ws, 'message');
    ws.close();
    await t.closed(ws);
  }),

  scenario('listeners added during dispatch wait for the next event', async (t, env) => {
    const ws = new WebSocket(`${env.ws}/echo`);
    await t.next(ws, 'open');
    const calls: string[] = [];
    ws.addEventListener('message', (event) => {
      calls.push(`outer:${(event as MessageEvent).data}`);
      ws.addEventListener('message', (e) => calls.push(`inner:${(e as MessageEvent).data}`), { once: true });
    }, { once: true });
    ws.send('1');
    await t.next(ws, 'message');
    ws.send('2');
    await t.next(ws, 'message');
    t.log('calls', calls);
    ws.close();
    await t.closed(ws);
  }),

  scenario('each message comes in a task of its own: microtasks run between them, however slow the listener', async (t, env) => {
    const ws = new WebSocket(`${env.ws}/many?n=3&size=4`);
    const order: string[] = [];
    let count = 0;
    ws.addEventListener('message', () => {
      const n = ++count;
      order.push(`message ${n}`);
      queueMicrotask(() => order.push(`microtask ${n}`));
      // Longer than a shaped consumer's spacing: a later message is due before this one is done.
      const end = performance.now() + 20;
      while (performance.now() < end);
    });
    await t.until(() => count === 3);
    await t.sleep(20);
    t.log('order', order);
    ws.close();
    await t.closed(ws);
  }),

  scenario('a listener removed by an earlier one does not run', async (t, env) => {
    const ws = new WebSocket(`${env.ws}/greet?text=x`);
    const calls: string[] = [];
    const second = () => calls.push('second');
    ws.addEventListener('message', () => {
      calls.push('first');
      ws.removeEventListener('message', second);
      ws.onmessage = null;
    });
    ws.addEventListener('message', second);
    ws.onmessage = () => calls.push('handler');
    await t.until(() => calls.length > 0);
    await t.sleep(20);
    t.log('calls', calls);
    ws.close();
    await t.closed(ws);
  }),

  scenario('closing from inside the open and message handlers', async (t, env) => {
    const ws = new WebSocket(`${env.ws}/greet?text=first`);
    t.watch(ws);
    ws.addEventListener('message', () => {
      ws.close(4200, 'from message');
      t.log('inside message after close()', ws.readyState);
    });
    await t.closed(ws);
    const second = new WebSocket(`${env.ws}/echo`);
    t.watch(second, 'second');
    second.onopen = () => {
      second.close();
      t.log('inside open after close()', second.readyState);
      t.attempt('send inside open after close()', () => second.send('late'));
    };
    await t.closed(second);
  }),

  scenario('event objects: classes, fields and timeStamp type', async (t, env) => {
    const ws = new WebSocket(`${env.ws}/greet?text=x`);
    const seen: unknown[] = [];
    for (const type of ['open', 'message', 'close']) {
      ws.addEventListener(type, (event) => {
        seen.push([
          type,
          Object.prototype.toString.call(event),
          typeof event.timeStamp,
          event.timeStamp > 0,
          event.returnValue,
          event.srcElement === ws,
          Object.keys(event),
        ]);
      });
    }
    await t.next(ws, 'message');
    ws.close(4000);
    await t.closed(ws);
    t.log('events', seen);
  }),
];
