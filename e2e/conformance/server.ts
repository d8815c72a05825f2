// The conformance suite's loopback server. One port on several loopback
// addresses, so each configuration's page has an origin of its own (the
// extension's copy skips all but its own, see run.ts) while every page talks
// to the same WebSocket endpoints on one more. `ws` serves the ordinary endpoints; the ones
// `ws` cannot produce (a wrong accept key, a forced subprotocol, a late reply
// to the client's Close, an HTTP error) are written on the raw socket.
//
//   /echo                       echoes every message, text as text, binary as binary
//   /greet?text=T[&binary=B64]   sends T (and the bytes B64) on open, then echoes
//   /protocol?select=P           accepts the subprotocol P if the page asked for it, else none
//   /force-protocol?p=P          answers with subprotocol P whatever the page asked
//   /close?code=C&reason=R       closes right after open (no code: an empty Close body)
//   /drop                        drops the TCP connection, no Close frame, at the page's first message
//                                (right after open, the page might see the drop before the open)
//   /delay?ms=M                  answers the handshake after M ms, then echoes
//   /status?code=404             answers the handshake with an HTTP error
//   /bad-accept                  answers 101 with a wrong Sec-WebSocket-Accept
//   /slow-close?ms=M             echoes; answers the client's Close after M ms
//   /late-end?before=N&ms=M      sends N text messages and a Close (4001, "done"), then ends the
//                                connection M ms after the client's Close: the page is CLOSING that long
//   /many?n=N&size=S[&binary=1]  sends N messages of S bytes on open, then echoes
//   /later?ms=M&text=T           sends T M ms after open, then echoes
//   /sink                        reads and drops whatever the page sends
//   /slow-read?ms=M              stops reading the connection for M ms after open, then drops what comes
//   /flood?n=N&size=S&tag=X      sends N text messages of S bytes at once, each beginning "<number>:";
//                                GET /flood-report?tag=X then answers how many ms passed until the
//                                last was handed to the kernel (null before): how long the page held
//                                the server back
//   /relay?tag=X                 says nothing unless told, and keeps what it hears (messages, and the
//                                Close's code and reason); /relay?tag=X&control is its remote: JSON
//                                commands {say: T}, {sayBytes: B64}, {close: [code, reason]} act on the
//                                first, {heard: true} answers with what it heard ([text] or [null, B64]
//                                per message, ['close', code, reason]): a real server's side of what a
//                                page can be made to see, and a witness of what reached the server
//   any of these with &tag=X     and GET /alive?tag=X answers whether that connection is still open
//   /page.html[?isolated]        an empty document for the scenarios (cross-origin isolated: with SharedArrayBuffer)
//   /shim.js                     the standalone shim (dist/shim.js)
//   /worker.js?kind=K[&shim]     a worker (K: classic, module or shared) that loads /shim.js first when
//                                asked, opens a socket by a relative URL to /greet, and reports what it
//                                can observe of itself and the greeting (see WORKER below)
//   /scenario-worker.js?kind=K   a worker (K: dedicated or shared) that runs the scenario it is sent,
//                                with /shim.js first when asked (see workers.ts)
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { standaloneShim } from '../lib/paths';
import { scenarioWorkerScript } from './workers';

/** Page hosts: one per configuration, all served by this server. */
export const HOSTS = { native: '127.0.0.2', standalone: '127.0.0.3', extension: '127.0.0.4', overStream: '127.0.0.6', delayed: '127.0.0.7' } as const;
/** Where every page's sockets go: a host no page has, so socket URLs and origins read the same in every configuration. */
export const SOCKET_HOST = '127.0.0.1';

const HANDSHAKE_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
/** Bounds on what a scenario may ask of the server. */
const MAX_DELAY_MS = 10_000;
const MAX_MANY_BYTES = 64 * 1024 * 1024;

const PAGE = '<!doctype html><meta charset="utf-8"><title>sockscope conformance</title><body></body>';

/**
 * A worker's script: once its socket (opened by a URL relative to the
 * worker's own) is greeted, it reports the greeting, its location, its
 * `WebSocket`'s source text, its global's own property names and, when
 * Sockscope is there, the sockets it captured.
 */
const WORKER = `
const report = (post) => {
  const ws = new WebSocket('/greet?text=from-the-worker');
  ws.onmessage = (event) => post({
    got: event.data,
    location: self.location.href,
    webSocketSource: Function.prototype.toString.call(WebSocket),
    ownNames: Object.getOwnPropertyNames(self).sort(),
    captured: self.sockscope ? self.sockscope.sockets().map((socket) => [socket.url, socket.received]) : null,
  });
};
if (self.location.search.includes('kind=shared')) self.onconnect = (event) => report((data) => event.ports[0].postMessage(data));
else report((data) => self.postMessage(data));
`;

function workerScript(url: URL): string {
  if (!url.searchParams.has('shim')) return WORKER;
  return `${url.searchParams.get('kind') === 'module' ? "import '/shim.js';" : "importScripts('/shim.js');"}\n${WORKER}`;
}

export interface ConformanceServer {
  port: number;
  /** `http://host:port` for a configuration's pages. */
  pageOrigin(host: string): string;
  /** `ws://127.0.0.1:port` */
  socketOrigin: string;
  close(): Promise<void>;
}

export async function startConformanceServer(): Promise<ConformanceServer> {
  const wss = new WebSocketServer({ noServer: true, handleProtocols: selectProtocol });
  /** Tags of the open connections that have one. */
  const alive = new Set<string>();
  /** Per /flood tag: ms from its first send until the last one left for the kernel. */
  const floods = new Map<string, number>();
  const relays = new Map<string, Relay>();
  wss.on('connection', (ws: WebSocket, req: IncomingMessage) => {
    const tag = new URL(req.url ?? '/', 'http://x').searchParams.get('tag');
    if (tag !== null) {
      alive.add(tag);
      ws.on('close', () => alive.delete(tag));
    }
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/flood') return flood(ws, req, floods);
    if (path === '/relay') return relay(ws, req, relays);
    onConnection(ws, req);
  });
  const sockets = new Set<Socket>();
  const servers: Server[] = [];

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/alive') {
      const tag = url.searchParams.get('tag') ?? '';
      return void res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(alive.has(tag)));
    }
    if (url.pathname === '/flood-report') {
      const ms = floods.get(url.searchParams.get('tag') ?? '') ?? null;
      return void res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(ms));
    }
    if (url.pathname === '/shim.js') return void res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' }).end(standaloneShim());
    if (url.pathname === '/worker.js') return void res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' }).end(workerScript(url));
    if (url.pathname === '/scenario-worker.js') {
      const script = scenarioWorkerScript(url.searchParams.get('kind') === 'shared' ? 'shared' : 'dedicated');
      return void res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' }).end(script);
    }
    if (url.pathname !== '/page.html') return void res.writeHead(404).end();
    // ?isolated: a cross-origin isolated document, where SharedArrayBuffer exists.
    const isolation = url.searchParams.has('isolated')
      ? { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' }
      : {};
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...isolation }).end(PAGE);
  };
  const onUpgrade = (req: IncomingMessage, socket: Socket, head: Buffer) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'http://x');
    const raw = RAW_ENDPOINTS[url.pathname];
    if (raw) return raw(req, socket, url);
    const accept = () => wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    if (url.pathname === '/delay') setTimeout(accept, bounded(url, 'ms', MAX_DELAY_MS));
    else accept();
  };

  let port = 0;
  for (const host of [SOCKET_HOST, ...Object.values(HOSTS)]) {
    const server = createServer(onRequest);
    server.on('upgrade', onUpgrade);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, resolve);
    });
    port = (server.address() as AddressInfo).port;
    servers.push(server);
  }
  return {
    port,
    pageOrigin: (host) => `http://${host}:${port}`,
    socketOrigin: `ws://${SOCKET_HOST}:${port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      wss.close();
      await Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.close(() => resolve());
              server.closeAllConnections();
            }),
        ),
      );
    },
  };
}

function bounded(url: URL, name: string, max: number): number {
  const value = Number(url.searchParams.get(name) ?? 0);
  return Number.isFinite(value) && value >= 0 ? Math.min(value, max) : 0;
}

function selectProtocol(protocols: Set<string>, req: IncomingMessage): string | false {
  const select = new URL(req.url ?? '/', 'http://x').searchParams.get('select');
  return select !== null && protocols.has(select) ? select : false;
}

function onConnection(ws: WebSocket, req: IncomingMessage): void {
  const url = new URL(req.url ?? '/', 'http://x');
  const echo = (): void => void ws.on('message', (data: RawData, isBinary: boolean) => ws.send(data, { binary: isBinary }));
  switch (url.pathname) {
    case '/close': {
      // `before=N`: send N text messages first.
      for (let i = 0; i < bounded(url, 'before', 100); i++) ws.send(`m${i}`);
      const code = url.searchParams.get('code');
      return code === null ? ws.close() : ws.close(Number(code), url.searchParams.get('reason') ?? '');
    }
    case '/drop':
      return void ws.once('message', () => ws.terminate());
    case '/greet': {
      const text = url.searchParams.get('text');
      const binary = url.searchParams.get('binary');
      if (text !== null) ws.send(text);
      if (binary !== null) ws.send(Buffer.from(binary, 'base64'), { binary: true });
      return echo();
    }
    case '/sink':
      return;
    case '/slow-read':
      ws.pause();
      setTimeout(() => ws.resume(), bounded(url, 'ms', MAX_DELAY_MS));
      return;
    case '/later': {
      const timer = setTimeout(() => ws.send(url.searchParams.get('text') ?? ''), bounded(url, 'ms', MAX_DELAY_MS));
      ws.on('close', () => clearTimeout(timer));
      return echo();
    }
    case '/many': {
      const n = bounded(url, 'n', MAX_MANY_BYTES);
      const size = bounded(url, 'size', MAX_MANY_BYTES);
      if (n * size > MAX_MANY_BYTES) return ws.close(1008, 'too much');
      const binary = url.searchParams.get('binary') === '1';
      const payload = binary ? Buffer.alloc(size, 0x61) : 'a'.repeat(size);
      for (let i = 0; i < n; i++) ws.send(payload, { binary });
      return echo();
    }
    default:
      return echo();
  }
}

interface Relay {
  subject: WebSocket | null;
  heard: unknown[];
}

/** Most a relay keeps of what it heard; a scenario hears a handful. */
const MAX_HEARD = 1_000;

function relay(ws: WebSocket, req: IncomingMessage, relays: Map<string, Relay>): void {
  const url = new URL(req.url ?? '/', 'http://x');
  const tag = url.searchParams.get('tag') ?? '';
  const state = relays.get(tag) ?? { subject: null, heard: [] };
  relays.set(tag, state);
  const hear = (entry: unknown) => void (state.heard.length < MAX_HEARD && state.heard.push(entry));
  if (!url.searchParams.has('control')) {
    state.subject = ws;
    ws.on('message', (data: RawData, isBinary: boolean) => hear(isBinary ? [null, Buffer.from(data as Buffer).toString('base64')] : [data.toString()]));
    ws.on('close', (code: number, reason: Buffer) => hear(['close', code, reason.toString()]));
    return;
  }
  ws.on('close', () => relays.delete(tag));
  ws.on('message', (data: RawData) => {
    let command: { say?: string; sayBytes?: string; close?: [number, string]; heard?: true };
    try {
      command = JSON.parse(data.toString());
    } catch {
      return ws.close(1008, 'not JSON');
    }
    const subject = state.subject;
    if (command.heard) return ws.send(JSON.stringify(state.heard));
    if (!subject) return ws.close(1008, 'no subject yet');
    if (typeof command.say === 'string') subject.send(command.say);
    else if (typeof command.sayBytes === 'string') subject.send(Buffer.from(command.sayBytes, 'base64'), { binary: true });
    else if (Array.isArray(command.close)) subject.close(command.close[0], command.close[1]);
  });
}

function flood(ws: WebSocket, req: IncomingMessage, floods: Map<string, number>): void {
  const url = new URL(req.url ?? '/', 'http://x');
  const n = bounded(url, 'n', 1024);
  const size = bounded(url, 'size', MAX_MANY_BYTES);
  if (n * size > MAX_MANY_BYTES) return ws.close(1008, 'too much');
  const tag = url.searchParams.get('tag') ?? '';
  const filler = 'f'.repeat(size);
  const started = performance.now();
  for (let i = 1; i <= n; i++) {
    // Each message begins with its number, so the page can tell their order.
    ws.send(`${i}:${filler}`.slice(0, size), i === n ? () => floods.set(tag, performance.now() - started) : undefined);
  }
}

// Endpoints written on the raw socket.

function acceptKey(req: IncomingMessage): string {
  return createHash('sha1')
    .update(`${req.headers['sec-websocket-key'] ?? ''}${HANDSHAKE_GUID}`)
    .digest('base64');
}

function switchProtocols(socket: Socket, accept: string, extraHeaders = ''): void {
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n${extraHeaders}\r\n`);
}

/** Server-to-client frame (unmasked), payloads under 64 KiB. */
function frame(opcode: number, payload: Buffer): Buffer {
  const header = payload.length < 126 ? Buffer.from([0x80 | opcode, payload.length]) : Buffer.from([0x80 | opcode, 126, payload.length >> 8, payload.length & 0xff]);
  return Buffer.concat([header, payload]);
}

/** Client frames from a stream of bytes: unmasked payloads, one callback per complete frame. */
function readFrames(socket: Socket, onFrame: (opcode: number, payload: Buffer) => void): void {
  let buffer = Buffer.alloc(0);
  socket.on('data', (data: Buffer) => {
    buffer = Buffer.concat([buffer, data]);
    for (;;) {
      if (buffer.length < 2) return;
      let length = buffer[1] & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (buffer.length < 4) return;
        length = buffer.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (buffer.length < 10) return;
        length = Number(buffer.readBigUInt64BE(2));
        offset = 10;
      }
      const masked = (buffer[1] & 0x80) !== 0;
      const end = offset + (masked ? 4 : 0) + length;
      if (buffer.length < end) return;
      const payload = Buffer.from(buffer.subarray(end - length, end));
      if (masked) for (let i = 0; i < length; i++) payload[i] ^= buffer[offset + (i % 4)];
      const opcode = buffer[0] & 0x0f;
      buffer = buffer.subarray(end);
      onFrame(opcode, payload);
    }
  });
}

const RAW_ENDPOINTS: Record<string, (req: IncomingMessage, socket: Socket, url: URL) => void> = {
  '/status': (_req, socket, url) => {
    const code = Math.trunc(bounded(url, 'code', 599)) || 404;
    socket.end(`HTTP/1.1 ${code} Refused\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
  },
  '/bad-accept': (_req, socket) => switchProtocols(socket, 'AAAAAAAAAAAAAAAAAAAAAAAAAAA='),
  '/force-protocol': (req, socket, url) => {
    switchProtocols(socket, acceptKey(req), `Sec-WebSocket-Protocol: ${url.searchParams.get('p') ?? 'forced'}\r\n`);
    // Where the browser keeps the connection (Firefox), answer its Close rather than let it time out.
    readFrames(socket, (opcode, payload) => opcode === 8 && socket.end(frame(8, payload.subarray(0, 2))));
  },
  '/slow-close': (req, socket, url) => {
    const delay = bounded(url, 'ms', MAX_DELAY_MS);
    switchProtocols(socket, acceptKey(req));
    readFrames(socket, (opcode, payload) => {
      if (opcode === 1 || opcode === 2) socket.write(frame(opcode, payload));
      // Close: echo its status code (if any) after the delay, then end the connection.
      if (opcode === 8) setTimeout(() => socket.end(frame(8, payload.subarray(0, 2))), delay);
    });
  },
  '/late-end': (req, socket, url) => {
    const delay = bounded(url, 'ms', MAX_DELAY_MS);
    switchProtocols(socket, acceptKey(req));
    for (let i = 0; i < bounded(url, 'before', 100); i++) socket.write(frame(1, Buffer.from(`m${i}`)));
    const status = Buffer.alloc(2);
    status.writeUInt16BE(4001);
    socket.write(frame(8, Buffer.concat([status, Buffer.from('done')])));
    readFrames(socket, (opcode) => opcode === 8 && setTimeout(() => socket.end(), delay));
  },
};
