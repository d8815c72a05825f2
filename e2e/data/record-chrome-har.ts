// Records chrome-websocket.har, the HAR the Firefox tests import as "a HAR
// exported by Chrome": Chromium's own DevTools HAR writer (what its Network
// panel's Export HAR saves) over a socket that receives text, sends text and
// receives binary. Run by hand: `npx tsx e2e/data/record-chrome-har.ts`.
// (The Chromium tests export from the live Network panel instead.)
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { launchChromium } from '../lib/chromium';
import { networkPanelHar, openSockscopeInDevTools } from '../lib/devtools';
import { DIST_CHROME } from '../lib/paths';

const PAGE = 'http://127.0.0.1:8080/';
const SOCKET = 'ws://127.0.0.1:8080/chrome-recorded';

const http = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>recorded</title>'));
const wss = new WebSocketServer({ server: http, path: new URL(SOCKET).pathname });
wss.on('connection', (ws) => {
  ws.send('chrome-greeting');
  ws.on('message', () => ws.send(Buffer.from('Hi\0\x01\xff', 'latin1'), { binary: true }));
});
await new Promise<void>((resolve) => http.listen(8080, '127.0.0.1', resolve));
const chromium = await launchChromium({ extension: DIST_CHROME, devtools: true });
try {
  const tab = await chromium.context.newPage();
  await tab.goto(PAGE);
  const panel = await openSockscopeInDevTools(chromium.debuggingPort!, chromium.extensionId!, PAGE);
  await tab.evaluate(
    (url) =>
      new Promise<void>((resolve) => {
        const ws = new WebSocket(url);
        ws.onmessage = (event) => (typeof event.data === 'string' ? ws.send('{"op":"subscribe","channel":"prices"}') : resolve());
      }),
    SOCKET,
  );
  writeFileSync(new URL('./chrome-websocket.har', import.meta.url), await networkPanelHar(panel.devtools, SOCKET, 3));
  panel.close();
} finally {
  await chromium.close();
  wss.close();
  http.close();
}
