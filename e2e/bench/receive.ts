// What a bench page runs: receive N messages and the DONE marker from the
// blast server, as an expression that yields a ReceiveResult.
import { DONE } from './server';

export interface ReceiveResult {
  count: number;
  chars: number;
  /** From the first message to the Nth. */
  ms: number;
  /** The message after the Nth was DONE. */
  done: boolean;
}

/**
 * What runs in the page: as little as a real consumer does per message, count
 * it and touch its data (a handler that never reads `data` spares the native
 * run a cost every real page and the shim pay: materialising the string).
 */
export function receiveExpression(api: 'websocket' | 'stream', url: string, n: number): string {
  if (api === 'stream') return streamReceiveExpression(url, n);
  return `new Promise((resolve, reject) => {
    const n = ${n};
    const ws = new WebSocket(${JSON.stringify(url)});
    let count = 0, chars = 0, first = 0, last = 0;
    ws.onmessage = (event) => {
      const data = event.data;
      if (++count === 1) first = performance.now();
      else if (count === n) last = performance.now();
      else if (count > n) {
        ws.close();
        resolve({ count: n, chars, ms: last - first, done: data === ${JSON.stringify(DONE)} });
        return;
      }
      chars += data.length;
    };
    ws.onerror = () => reject(new Error('WebSocket error after ' + count + ' messages'));
    ws.onclose = (event) => { if (count <= n) reject(new Error('closed (' + event.code + ') after ' + count + ' messages')); };
  })`;
}

/** The same with WebSocketStream: one read per message, as a page consuming at its own pace would. */
function streamReceiveExpression(url: string, n: number): string {
  return `(async () => {
    const n = ${n};
    const stream = new WebSocketStream(${JSON.stringify(url)});
    const reader = (await stream.opened).readable.getReader();
    let count = 0, chars = 0, first = 0, last = 0;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error('closed after ' + count + ' messages');
      if (++count === 1) first = performance.now();
      else if (count === n) last = performance.now();
      else if (count > n) {
        stream.close();
        await stream.closed;
        return { count: n, chars, ms: last - first, done: value === ${JSON.stringify(DONE)} };
      }
      chars += value.length;
    }
  })()`;
}

