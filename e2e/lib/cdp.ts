// A minimal Chrome DevTools Protocol client over the `ws` package.
// Playwright's own CDP sessions cannot reach the DevTools window or its
// extension iframes (it hides them), so those are driven through
// --remote-debugging-port and /json/list instead.
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

interface Pending {
  resolve: (result: unknown) => void;
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

const COMMAND_TIMEOUT_MS = 30_000;

export class CdpClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => this.onMessage(String(data)));
    socket.on('close', () => {
      for (const { reject, method } of this.pending.values()) reject(new Error(`CDP socket closed during ${method}`));
      this.pending.clear();
    });
  }

  static async connect(url: string): Promise<CdpClient> {
    const socket = new WebSocket(url, { perMessageDeflate: false, maxPayload: 256 * 1024 * 1024 });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return new CdpClient(socket);
  }

  send<T = Record<string, unknown>>(method: string, params: object = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`CDP ${method} got no answer in ${COMMAND_TIMEOUT_MS} ms`));
      }, COMMAND_TIMEOUT_MS);
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
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  /**
   * Evaluates an expression (awaiting a returned promise) and returns its
   * value as JSON. A thrown exception becomes a rejected promise here.
   */
  async evaluate<T>(expression: string): Promise<T> {
    const { result, exceptionDetails } = await this.send<EvaluateResult>('Runtime.evaluate', {
      expression,
      returnByValue: true,
      awaitPromise: true,
      // Lets evaluated code do what needs a user gesture, like a real click would.
      userGesture: true,
    });
    if (exceptionDetails) {
      const detail = exceptionDetails.exception?.description ?? exceptionDetails.text;
      throw new Error(`evaluate failed: ${detail}`);
    }
    return result.value as T;
  }

  close(): void {
    this.socket.close();
  }

  private onMessage(text: string): void {
    const message = JSON.parse(text) as {
      id?: number;
      result?: unknown;
      error?: { message: string };
    };
    // Events (messages without an id) are not needed by the harness.
    if (message.id === undefined) return;
    const pending = this.pending.get(message.id);
    if (!pending) return;
    this.pending.delete(message.id);
    if (message.error) pending.reject(new Error(`CDP ${pending.method}: ${message.error.message}`));
    else pending.resolve(message.result);
  }
}
