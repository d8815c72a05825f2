// The bench's loopback server: serves a blank page (so each configuration runs
// in an ordinary http document) and, on `/blast?n=N&size=S`, sends N text
// messages of S bytes and then DONE.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export const DONE = 'done';

/**
 * Bytes the server lets pile up in its own send buffer before it waits for the
 * socket. Sending all N at once measured no steadier, but it spends Node's CPU
 * in one burst at the start of a run (2 cores, shared with the browser being
 * measured) and buffers N × SIZE bytes; pacing keeps the socket just as full.
 */
const HIGH_WATER = 256 * 1024;

export interface BenchServer {
  port: number;
  close(): Promise<void>;
}

const PAGE = '<!doctype html><meta charset="utf-8"><title>sockscope bench</title><p>sockscope bench</p>';

export async function startServer(): Promise<BenchServer> {
  const http: Server = createServer((req, res) => {
    if (req.url === '/favicon.ico') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(PAGE);
  });
  // No permessage-deflate (ws's server default too): compression would measure zlib, not the shim.
  const wss = new WebSocketServer({ server: http, perMessageDeflate: false });
  wss.on('connection', (ws, req) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/blast') return ws.close(1008, 'unknown path');
    const n = Number(url.searchParams.get('n'));
    const size = Number(url.searchParams.get('size'));
    if (!Number.isSafeInteger(n) || n < 1 || !Number.isSafeInteger(size) || size < 1) return ws.close(1008, 'bad n or size');
    blast(ws, n, size);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    port: (http.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        http.close(() => resolve());
        http.closeAllConnections();
      }),
  };
}

function blast(ws: WebSocket, n: number, size: number): void {
  // One payload for every message: the browser decodes each into a fresh string anyway.
  const payload = 'x'.repeat(size);
  let sent = 0;
  const pump = (error?: Error | null): void => {
    if (error || ws.readyState !== ws.OPEN) return;
    while (sent < n) {
      sent++;
      if (sent === n) return ws.send(payload, (e) => {
        if (!e) ws.send(DONE);
      });
      // Past the high-water mark, continue once this message has been handed to the socket.
      if (ws.bufferedAmount + size >= HIGH_WATER) return ws.send(payload, pump);
      ws.send(payload);
    }
  };
  pump();
}
