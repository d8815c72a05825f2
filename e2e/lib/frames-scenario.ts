// Sockets opened in child frames of every kind reach the panel, in either
// browser: an about:blank frame the page scripts from outside (its own
// `WebSocket`), srcdoc, blob:, data:, a sandboxed frame (an opaque origin),
// and a cross-origin one. Each socket's row carries the iframe badge, and
// each socket's exchange (the server's greeting, the frame's message)
// shows in the panel.
import { expect } from 'vitest';
import type { DemoServer } from '../demo/server';
import type { Evaluator } from './devtools';
import { rowTexts, selectSocket, waitForMessages } from './panel';
import { echoUrl } from './traffic';
import { waitFor } from './wait';

const KINDS = ['blank', 'srcdoc', 'blob', 'data', 'sandboxed', 'cross-origin'] as const;

export async function framesShowSockets(page: Evaluator, panel: Evaluator, server: DemoServer, run: string): Promise<void> {
  const urls = Object.fromEntries(KINDS.map((kind) => [kind, echoUrl(server, `${run}-${kind}`)]));
  const crossOrigin = server.url.replace('127.0.0.1', 'localhost');
  expect(crossOrigin, 'another origin for the cross-origin frame').not.toBe(server.url);
  await page.evaluate(`(() => {
    const urls = ${JSON.stringify(urls)};
    // A frame's document: it opens its socket and sends one message.
    const doc = (url) => '<script>const ws = new WebSocket(' + JSON.stringify(url) + '); ws.onopen = () => ws.send("from the frame");<' + '/script>';
    const frame = (attributes) => {
      const iframe = document.createElement('iframe');
      Object.assign(iframe, attributes);
      if (attributes.sandbox) iframe.setAttribute('sandbox', attributes.sandbox);
      document.body.append(iframe);
      return iframe;
    };
    // about:blank, scripted by the page with the frame's own constructor.
    const blank = frame({}).contentWindow;
    const ws = new blank.WebSocket(urls.blank);
    ws.onopen = () => ws.send('from the frame');
    frame({ srcdoc: doc(urls.srcdoc) });
    frame({ src: URL.createObjectURL(new Blob([doc(urls.blob)], { type: 'text/html' })) });
    frame({ src: 'data:text/html,' + encodeURIComponent(doc(urls.data)) });
    frame({ sandbox: 'allow-scripts', srcdoc: doc(urls.sandboxed) });
    frame({ src: ${JSON.stringify(crossOrigin)} + 'socket-frame.html?ws=' + encodeURIComponent(urls['cross-origin']) });
  })()`);
  const greeting = (kind: string) => `${run}-${kind}`;
  await waitFor(
    `a socket row for each frame kind (${KINDS.join(', ')})`,
    async () => {
      const rows = await rowTexts(panel, 'socket-row');
      return KINDS.every((kind) => rows.some((row) => row.includes(encodeURIComponent(greeting(kind))) && row.includes('iframe')));
    },
    { timeoutMs: 15_000 },
  );
  for (const kind of KINDS) {
    await selectSocket(panel, encodeURIComponent(greeting(kind)));
    await waitForMessages(panel, { [greeting(kind)]: 1, 'from the frame': 2 });
  }
}
