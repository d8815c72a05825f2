// The state of a connection as the page sees it: one value per socket,
// changed only through the socket's `moveTo`, which a table of the moves
// that can happen guards. The first four are WebSocket's readyState values.
//
//   CONNECTING ──opened──▶ OPEN ──close()──▶ CLOSING ──closed──▶ CLOSED
//        │                  │                                      ▲
//        └──────────────────┴──── failed, or closed by the server ─┘
//   any but CLOSED ──an offline rule──▶ DROPPED ──(the page is told)──▶ CLOSED
//
// DROPPED reads as CLOSED; from then on what the native socket says is not
// the page's (the page hears of a lost connection from the shim instead). A
// kind whose CLOSED already keeps the native socket's news from the page
// moves on to CLOSED once the page is told; the others stay DROPPED.
import { warn } from '../realm/natives';

export const CONNECTING = 0;
export const OPEN = 1;
export const CLOSING = 2;
export const CLOSED = 3;
export const DROPPED = 4;
export type ConnectionState = typeof CONNECTING | typeof OPEN | typeof CLOSING | typeof CLOSED | typeof DROPPED;

/** What WebSocket's readyState says in a state. */
export const readyStateOf = (state: ConnectionState): number => (state === DROPPED ? CLOSED : state);

/** The 1006 a lost connection reports: no Close frame was received. */
export const ABNORMAL_CLOSURE = 1006;

/**
 * The moves a state machine allows, by state: `next[from]` lists what may
 * follow `from`. A move it does not list is a bug in the shim, reported with
 * both states' names and not made; the page goes on.
 */
export class Transitions<S extends number> {
  constructor(
    private readonly names: readonly string[],
    private readonly next: readonly (readonly S[])[],
  ) {}

  allows(socketId: number, from: S, to: S): boolean {
    const allowed = this.next[from];
    for (let i = 0; i < allowed.length; i++) if (allowed[i] === to) return true;
    warn(`socket ${socketId}: no move from ${this.names[from]} to ${this.names[to]}`);
    return false;
  }

  name(state: S): string {
    return this.names[state];
  }
}

export const CONNECTION = new Transitions<ConnectionState>(
  ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED', 'DROPPED'],
  [
    /* CONNECTING */ [OPEN, CLOSING, CLOSED, DROPPED],
    /* OPEN */ [CLOSING, CLOSED, DROPPED],
    /* CLOSING */ [CLOSED, DROPPED],
    /* CLOSED */ [],
    /* DROPPED */ [CLOSED],
  ],
);
