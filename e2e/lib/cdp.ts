// The one Chrome DevTools Protocol client of the e2e tests and the benches,
// over either transport Chromium offers:
// - a target's own WebSocket (--remote-debugging-port, /json/list): Playwright's
//   CDP sessions cannot reach the DevTools window or its extension iframes (it
//   hides them), so the harness drives those this way;
// - the browser's --remote-debugging-pipe, with flat sessions per target: the
//   benches drive Chromium with it alone (bench/chromium-pipe.ts says why not
//   through Playwright).
import type { Readable, Writable } from 'node:stream';
import WebSocket from 'ws';

export interface TargetInfo {
  id: string;
  type: string;
  title: string;
  url: string;
  parentId?: string;
  webSocketDebuggerUrl: string;
}

/** `/json/list` of a browser started with --remote-debugging-port. */
export async function listTargets(port: number): Promise<TargetInfo[]> {
  const response = await fetch(`http://127.0.0.1:${port}/json/list`);
  if (!response.ok) throw new Error(`/json/list answered ${response.status}`);
  return (await response.json()) as TargetInfo[];
}

/** CDP messages are untyped JSON. */
type Json = any;

export type EventHandler = (method: string, params: Json, sessionId?: string) => void;

export interface SendOptions {
  /** The flat session of an attached target; none: the connection's own target. */
  sessionId?: string;
  /** How long the command may go unanswered; by default the client's. */
  timeoutMs?: number;
}

export interface ClientOptions {
  /** How long a command may go unanswered unless it says otherwise. Default 30 s. */
  commandTimeoutMs?: number;
}

interface Pending {
  resolve: (result: Json) => void;
  reject: (error: Error) => void;
  method: string;
}

interface RemoteObject {
  value?: unknown;
  description?: string;
}

interface EvaluateResult {
  result: RemoteObject;
  exceptionDetails?: { text: string; exception?: RemoteObject };
}

export class CdpClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<EventHandler>();
  private readonly commandTimeoutMs: number;

  private constructor(
    private readonly write: (text: string) => void,
    private readonly end: () => void,
    options: ClientOptions,
  ) {
    this.commandTimeoutMs = options.commandTimeoutMs ?? 30_000;
  }

  /** Connects to a target's own WebSocket (`webSocketDebuggerUrl`). */
  static async connect(url: string, options: ClientOptions = {}): Promise<CdpClient> {
    const socket = new WebSocket(url, { perMessageDeflate: false, maxPayload: 256 * 1024 * 1024 });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    const client = new CdpClient((text) => socket.send(text), () => socket.close(), options);
    socket.on('message', (data) => client.dispatch(JSON.parse(String(data)) as Json));
    socket.on('close', () => client.failAll((method) => `CDP socket closed during ${method}`));
    return client;
  }

  /** Speaks over a browser's --remote-debugging-pipe: messages end with a NUL byte. */
  static overPipe(input: Readable, output: Writable, options: ClientOptions = {}): CdpClient {
    const client = new CdpClient((text) => output.write(text + '\0'), () => output.end(), options);
    let buffer = '';
    input.setEncoding('utf8');
    input.on('data', (chunk: string) => {
      buffer += chunk;
      for (let end = buffer.indexOf('\0'); end >= 0; end = buffer.indexOf('\0')) {
        client.dispatch(JSON.parse(buffer.slice(0, end)) as Json);
        buffer = buffer.slice(end + 1);
      }
    });
    return client;
  }

  send<T = Json>(method: string, params: object = {}, { sessionId, timeoutMs = this.commandTimeoutMs }: SendOptions = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`CDP ${method} got no answer in ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        method,
        resolve: (result) => {
          clearTimeout(timer);
          resolve(result as T);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.write(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    });
  }

  /**
   * Evaluates an expression (awaiting a returned promise) and returns its
   * value as JSON. A thrown exception becomes a rejected promise here.
   */
  async evaluate<T>(expression: string, options: SendOptions = {}): Promise<T> {
    const { result, exceptionDetails } = await this.send<EvaluateResult>(
      'Runtime.evaluate',
      {
        expression,
        returnByValue: true,
        awaitPromise: true,
        // Lets evaluated code do what needs a user gesture, like a real click would.
        userGesture: true,
      },
      options,
    );
    if (exceptionDetails) {
      const detail = exceptionDetails.exception?.description ?? exceptionDetails.text;
      throw new Error(`evaluate failed: ${detail}`);
    }
    return result.value as T;
  }

  /** Calls `handler` for every CDP event until the returned function is called. */
  onEvent(handler: EventHandler): () => void {
    this.listeners.add(handler);
    return () => this.listeners.delete(handler);
  }

  waitForEvent(method: string, sessionId: string | undefined, timeoutMs = 30_000): Promise<Json> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`timed out waiting for ${method}`));
      }, timeoutMs);
      const off = this.onEvent((m, params, s) => {
        if (m !== method || s !== sessionId) return;
        clearTimeout(timer);
        off();
        resolve(params);
      });
    });
  }

  /** Rejects every command still waiting: the other end is gone. */
  failAll(reason: (method: string) => string): void {
    for (const { reject, method } of this.pending.values()) reject(new Error(reason(method)));
    this.pending.clear();
  }

  close(): void {
    this.end();
  }

  private dispatch(message: Json): void {
    if (typeof message.id === 'number') {
      const pending = this.pending.get(message.id);
      if (!pending) return;
      this.pending.delete(message.id);
      if (message.error) pending.reject(new Error(`CDP ${pending.method}: ${message.error.message as string}`));
      else pending.resolve(message.result);
      return;
    }
    for (const listener of [...this.listeners]) listener(message.method as string, message.params, message.sessionId as string | undefined);
  }
}
