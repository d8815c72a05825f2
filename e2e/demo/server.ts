// The demo site and its WebSocket endpoints, on one loopback HTTP server.
// Used by `npm start`, the end-to-end tests and the benchmark.
//
//   GET  /…        static files from e2e/demo/site/, then dist/demo/ (the built protocols page)
//   WS   /chat     echoes text and binary back to the sender
//   WS   /ticker   JSON quotes, TICKER_HZ per client
//   WS   /binary   binary records with a header, BINARY_HZ per client
//   WS   /echo     echoes everything; `?greet=TEXT` first sends TEXT (for tests)
//   WS   /bulk     on a text message `NxS`, sends N text messages of S bytes (for tests);
//                  `?rate=R`: R messages a second, in a slice every 10 ms, until closed
//   WS   /socket.io/, /graphql, /subscriptions, /mqtt, /hub, /stomp,
//        /socket/websocket, /cable: the protocols page's servers (protocol-servers.ts)
import { createReadStream, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer, type WebSocket } from 'ws';
import { protocolServers } from './protocol-servers';

export interface DemoServerOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Loopback only: the demo must never be reachable from the network. */
  host?: '127.0.0.1';
}

export interface DemoServer {
  /** `http://127.0.0.1:PORT/` */
  url: string;
  /** `ws://127.0.0.1:PORT` (append a path: `/chat`, `/echo`, …) */
  wsUrl: string;
  close(): Promise<void>;
}

const ROOTS = [fileURLToPath(new URL('./site/', import.meta.url)), fileURLToPath(new URL('../../dist/demo/', import.meta.url))];

const TICKER_HZ = 20;
const BINARY_HZ = 5;
/** A slow client must not make the server queue without bound: skip a tick instead. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** strict.html's policy: workers from the page's own origin only (no blob:), and Trusted Types enforced. */
const STRICT_POLICY = "worker-src 'self'; require-trusted-types-for 'script'";

/** The file a path names in the first root that has it, or null. */
function findFile(url: string | undefined): { file: string; size: number } | null {
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(url ?? '/', 'http://x').pathname);
  } catch {
    return null;
  }
  for (const root of ROOTS) {
    // The path is absolute, so normalize() cannot climb above the root with `..`.
    const file = join(root, normalize(pathname.endsWith('/') ? `${pathname}index.html` : pathname));
    try {
      const stat = statSync(file);
      if (stat.isFile()) return { file, size: stat.size };
    } catch {
      // not in this root
    }
  }
  return null;
}

function serveStatic(req: IncomingMessage, res: ServerResponse): void {
  const found = findFile(req.url);
  if (!found) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    return;
  }
  const { file, size } = found;
  res.writeHead(200, {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'content-length': size,
    // ?cacheable: as a site's static files usually are (the tests of caching ask for it).
    'cache-control': new URL(req.url ?? '/', 'http://x').searchParams.has('cacheable') ? 'max-age=3600' : 'no-store',
    ...(basename(file) === 'strict.html' && { 'content-security-policy': STRICT_POLICY }),
  });
  if (req.method === 'HEAD') res.end();
  else createReadStream(file).pipe(res);
}

function echo(ws: WebSocket): void {
  ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
}

/** Runs `tick` every `ms` while the socket is open; the timer dies with the socket. */
function every(ws: WebSocket, ms: number, tick: () => void): void {
  const timer = setInterval(() => {
    if (ws.readyState === ws.OPEN && ws.bufferedAmount < MAX_BUFFERED_BYTES) tick();
  }, ms);
  ws.once('close', () => clearInterval(timer));
}

const SYMBOLS = ['ACME', 'GLOBX', 'INITECH', 'UMBRL', 'HOOLI', 'STARK'];

function ticker(ws: WebSocket): void {
  const prices = SYMBOLS.map((_, i) => 50 + i * 37.5);
  let n = 0;
  every(ws, 1000 / TICKER_HZ, () => {
    const i = n++ % SYMBOLS.length;
    prices[i] = Math.max(1, prices[i]! * (1 + (Math.random() - 0.5) * 0.01));
    ws.send(JSON.stringify({ symbol: SYMBOLS[i], price: Number(prices[i]!.toFixed(2)), ts: Date.now() }));
  });
}

/**
 * Binary records: a 16-byte header (magic "SSBN", uint32 sequence number,
 * float64 epoch ms; big-endian) then 0–2 KiB of a byte pattern.
 */
function binaryStream(ws: WebSocket): void {
  let seq = 0;
  every(ws, 1000 / BINARY_HZ, () => {
    const body = Math.floor(Math.random() * 2048);
    const record = Buffer.alloc(16 + body);
    record.write('SSBN', 0, 'latin1');
    record.writeUInt32BE(seq, 4);
    record.writeDoubleBE(Date.now(), 8);
    for (let i = 0; i < body; i++) record[16 + i] = (seq + i) & 0xff;
    seq++;
    ws.send(record, { binary: true });
  });
}

function greetThenEcho(ws: WebSocket, url: URL): void {
  const greeting = url.searchParams.get('greet');
  if (greeting !== null) ws.send(greeting);
  echo(ws);
}

/** Most bytes one `/bulk` request may ask for. */
const MAX_BULK_BYTES = 128 * 1024 * 1024;

/** Most messages a second `/bulk?rate=` may ask for. */
const MAX_BULK_RATE = 1_000_000;
const BULK_SLICE_MS = 10;

/** `NxS`: N messages of S x's; `NxS#`: N messages, each its number zero-padded to S digits. */
function bulk(ws: WebSocket, url: URL): void {
  const rate = url.searchParams.has('rate') ? Number(url.searchParams.get('rate')) : Infinity;
  if (rate !== Infinity && !(Number.isInteger(rate) && rate > 0 && rate <= MAX_BULK_RATE)) return ws.close(1008, `rate: 1 to ${MAX_BULK_RATE} messages a second`);
  let timer: NodeJS.Timeout | undefined;
  ws.on('close', () => clearInterval(timer));
  ws.on('message', (data, isBinary) => {
    const request = isBinary ? null : /^(\d+)x(\d+)(#?)$/.exec(data.toString());
    const [count, size] = request ? [Number(request[1]), Number(request[2])] : [0, 0];
    if (!request || count * size > MAX_BULK_BYTES) return ws.close(1008, `ask for NxS or NxS# bytes, at most ${MAX_BULK_BYTES} in all`);
    const text = 'x'.repeat(size);
    let sent = 0;
    const sendUpTo = (end: number) => {
      for (; sent < end; sent++) ws.send(request[3] ? String(sent).padStart(size, '0') : text);
    };
    if (rate === Infinity) return sendUpTo(count);
    clearInterval(timer);
    const started = Date.now();
    timer = setInterval(() => {
      sendUpTo(Math.min(count, Math.floor(((Date.now() - started) * rate) / 1000)));
      if (sent === count || ws.readyState !== ws.OPEN) clearInterval(timer);
    }, BULK_SLICE_MS);
  });
}

const ROUTES: Record<string, (ws: WebSocket, url: URL) => void> = {
  '/chat': echo,
  '/ticker': ticker,
  '/binary': binaryStream,
  '/echo': greetThenEcho,
  '/bulk': bulk,
};

export async function startDemoServer(options: DemoServerOptions = {}): Promise<DemoServer> {
  const host = options.host ?? '127.0.0.1';
  const http = createServer(serveStatic);
  const wss = new WebSocketServer({ noServer: true });
  const protocols = protocolServers(http);

  http.on('upgrade', (req, socket, head) => {
    // A client may drop its connection before the answer (a page closing a socket still connecting):
    // an error on a socket no one listens to would end the server's process.
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'http://x');
    const route = ROUTES[url.pathname];
    if (!route && protocols.upgrade(req, socket, head, url.pathname)) return;
    if (!route) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('error', () => ws.terminate());
      route(ws, url);
    });
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = http.address() as AddressInfo;

  return {
    url: `http://${host}:${port}/`,
    wsUrl: `ws://${host}:${port}`,
    async close() {
      // Terminating fires each socket's `close`, which clears its timers.
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      protocols.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
