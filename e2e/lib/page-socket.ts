// A WebSocket opened by the page under test (so the extension's shim sees it),
// driven from the test by evaluating small scripts in the page's main world.
import type { Evaluator } from './devtools';
import { waitFor } from './wait';

/** Wraps a Playwright or puppeteer page (both evaluate strings in the page's main world). */
export function pageEvaluator(page: { evaluate(expression: string): Promise<unknown> }): Evaluator {
  return { evaluate: <T>(expression: string) => page.evaluate(expression) as Promise<T> };
}

let counter = 0;

export class PageSocket {
  private constructor(
    private readonly page: Evaluator,
    private readonly ref: string,
    readonly url: string,
  ) {}

  /** Opens `new WebSocket(url)` in the page and waits for `open`. */
  static async open(page: Evaluator, url: string): Promise<PageSocket> {
    const name = `s${++counter}`;
    const ref = `globalThis.__e2eSockets[${JSON.stringify(name)}]`;
    await page.evaluate(`new Promise((resolve, reject) => {
      const ws = new WebSocket(${JSON.stringify(url)});
      const received = [];
      const record = { ws, received, closeCode: null };
      (globalThis.__e2eSockets ??= {})[${JSON.stringify(name)}] = record;
      ws.addEventListener('message', (event) => received.push(String(event.data)));
      ws.addEventListener('close', (event) => (record.closeCode = event.code));
      ws.addEventListener('open', () => resolve(true));
      ws.addEventListener('error', () => reject(new Error('WebSocket error on ' + ws.url)));
    })`);
    return new PageSocket(page, ref, url);
  }

  /** Sends each text, `intervalMs` apart. */
  async send(texts: string[], intervalMs = 0): Promise<void> {
    await this.page.evaluate(`(async () => {
      for (const text of ${JSON.stringify(texts)}) {
        ${this.ref}.ws.send(text);
        if (${intervalMs} > 0) await new Promise((resolve) => setTimeout(resolve, ${intervalMs}));
      }
      return true;
    })()`);
  }

  /** Sends one binary message of these bytes. */
  async sendBytes(bytes: number[]): Promise<void> {
    await this.page.evaluate(`(${this.ref}.ws.send(new Uint8Array(${JSON.stringify(bytes)})), true)`);
  }

  /** How many messages the page has received on this socket. */
  receivedCount(): Promise<number> {
    return this.page.evaluate<number>(`${this.ref}.received.length`);
  }

  /** The length of each message the page has received on this socket (no copy of a long one crosses). */
  receivedLengths(): Promise<number[]> {
    return this.page.evaluate<number[]>(`${this.ref}.received.map((data) => data.length)`);
  }

  /** The code of the close event the page saw, or null before one. */
  closeCode(): Promise<number | null> {
    return this.page.evaluate<number | null>(`${this.ref}.closeCode`);
  }

  /** Sends `text` to an echo endpoint; the milliseconds until the page has it back (or null after `timeoutMs`). */
  roundTripMs(text: string, timeoutMs = 10_000): Promise<number | null> {
    return this.page.evaluate<number | null>(`new Promise((resolve) => {
      const { ws } = ${this.ref};
      const start = performance.now();
      const onMessage = (event) => {
        if (event.data !== ${JSON.stringify(text)}) return;
        ws.removeEventListener('message', onMessage);
        resolve(performance.now() - start);
      };
      ws.addEventListener('message', onMessage);
      ws.send(${JSON.stringify(text)});
      setTimeout(() => resolve(null), ${timeoutMs});
    })`);
  }

  /** Everything the page received on this socket so far, in order. */
  received(): Promise<string[]> {
    return this.page.evaluate<string[]>(`${this.ref}.received.slice()`);
  }

  /** Waits until the page has received every one of `texts`. */
  async waitForReceived(texts: string[]): Promise<void> {
    await waitFor(`the page to receive ${texts.length} messages on ${this.url}`, async () => {
      const received = await this.received();
      return texts.every((text) => received.includes(text));
    });
  }
}
