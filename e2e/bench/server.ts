// The bench's loopback server: serves a blank page (so each configuration runs
// in an ordinary http document) and, on `/blast?n=N&size=S`, sends N text
// messages of S bytes and then DONE; with `&rate=R`, R messages a second
// (in ticks of TICK_MS), else as fast as the socket drains.
//
// The WebSocket side is written by hand on the raw socket: the frames are
// built once and written in large chunks, so the server spends almost no CPU
// per message. With `ws` framing and sending 30,000 messages a second, the
// server took a third of a core of the two the browser under test shares
// with it, and its share varied from run to run.
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export const DONE = 'done';

/** Bytes per write: a chunk of whole frames. */
const CHUNK_BYTES = 64 * 1024;
const HANDSHAKE_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export interface BenchServer {
  port: number;
  close(): Promise<void>;
}

const PAGE = '<!doctype html><meta charset="utf-8"><title>sockscope bench</title><p>sockscope bench</p>';

export async function startServer(): Promise<BenchServer> {
  const sockets = new Set<Socket>();
  const http: Server = createServer((req, res) => {
    if (req.url === '/favicon.ico') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(PAGE);
  });
  http.on('upgrade', (req, socket: Socket) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const n = Number(url.searchParams.get('n'));
    const size = Number(url.searchParams.get('size'));
    const rate = Number(url.searchParams.get('rate') ?? 0);
    const key = req.headers['sec-websocket-key'];
    if (url.pathname !== '/blast' || typeof key !== 'string' || !(Number.isSafeInteger(n) && n >= 1 && Number.isSafeInteger(size) && size >= 1 && Number.isSafeInteger(rate) && rate >= 0)) {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      return;
    }
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const accept = createHash('sha1').update(key + HANDSHAKE_GUID).digest('base64');
    socket.setNoDelay(true);
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    // The page closes once it has DONE: answer its Close frame (opcode 8) with an empty one.
    socket.on('data', (data: Buffer) => {
      if ((data[0] & 0x0f) === 8) socket.end(Buffer.from([0x88, 0]));
    });
    if (rate > 0) pace(socket, n, size, rate);
    else blast(socket, n, size);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    port: (http.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        http.close(() => resolve());
        http.closeAllConnections();
      }),
  };
}

/** An unmasked text frame (server to client). */
function textFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  const length = payload.length;
  const header = Buffer.alloc(length < 126 ? 2 : length < 65_536 ? 4 : 10);
  header[0] = 0x81; // FIN, text
  if (length < 126) header[1] = length;
  else if (length < 65_536) {
    header[1] = 126;
    header.writeUInt16BE(length, 2);
  } else {
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  return Buffer.concat([header, payload]);
}

const TICK_MS = 10;

/** Writes n frames of `size` bytes at `rate` a second, a tick's worth at a time; then DONE. */
function pace(socket: Socket, n: number, size: number, rate: number): void {
  const frame = textFrame('x'.repeat(size));
  const started = performance.now();
  let sent = 0;
  const tick = (): void => {
    if (socket.destroyed) return;
    const due = Math.min(n, Math.floor(((performance.now() - started) * rate) / 1000));
    if (due > sent) socket.write(Buffer.concat(Array(due - sent).fill(frame)));
    sent = due;
    if (sent < n) setTimeout(tick, TICK_MS);
    else socket.write(textFrame(DONE));
  };
  tick();
}

/** Writes n frames of `size` bytes, whole chunks at a time, waiting for the socket to drain; then DONE. */
function blast(socket: Socket, n: number, size: number): void {
  const frame = textFrame('x'.repeat(size));
  const perChunk = Math.max(1, Math.floor(CHUNK_BYTES / frame.length));
  const chunk = Buffer.concat(Array(perChunk).fill(frame));
  let sent = 0;
  const pump = (): void => {
    while (sent < n && !socket.destroyed) {
      const count = Math.min(perChunk, n - sent);
      sent += count;
      const ready = socket.write(count === perChunk ? chunk : chunk.subarray(0, count * frame.length));
      if (sent === n) socket.write(textFrame(DONE));
      if (!ready) return void socket.once('drain', pump);
    }
  };
  pump();
}
