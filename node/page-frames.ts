// A page's realms, each with its own Sockscope: its documents, one per frame
// (the init script runs in every frame), and its dedicated workers (the shim
// goes first in their scripts: node/worker-scripts.ts). The helper's calls
// reach the realm a socket, a held message or a rule lives in, or every
// realm. A realm's ids are its own plus the realm's base, FRAME_ID_STRIDE
// apart; the main frame's base is 0, so a page without frames or workers
// keeps the ids its document gives.

/** The part of a Playwright `Frame` (or `Worker`) the helper uses. */
export interface FrameLike {
  evaluate<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
}

/** The part of a Playwright `Page` that lists its frames. */
export interface RealmsLike {
  mainFrame(): FrameLike;
  frames(): FrameLike[];
}

export const FRAME_ID_STRIDE = 1_000_000_000;

export class PageFrames {
  private readonly bases = new Map<FrameLike, number>();
  private readonly byBase = new Map<number, FrameLike>();

  /** `workers`: the page's workers now, when the helper captures them (node/worker-scripts.ts). */
  constructor(
    private readonly page: RealmsLike,
    private readonly workers: (() => Promise<FrameLike[]>) | null,
  ) {}

  /** Every realm now, the main frame first, then the other frames, then the workers, each with its base. */
  async all(): Promise<{ frame: FrameLike; base: number }[]> {
    const main = this.page.mainFrame();
    const others = [...this.page.frames().filter((frame) => frame !== main), ...(this.workers ? await this.workers() : [])];
    return [main, ...others].map((frame) => ({ frame, base: this.baseOf(frame, frame === main) }));
  }

  /** The realm an id of the helper's names, and the id in that realm. */
  locate(id: number, what: string): { frame: FrameLike; base: number; local: number } {
    if (typeof id !== 'number') return { frame: this.page.mainFrame(), base: 0, local: id };
    const base = id - (id % FRAME_ID_STRIDE);
    if (base === 0) return { frame: this.page.mainFrame(), base, local: id };
    const frame = this.byBase.get(base);
    if (!frame) throw new Error(`no ${what} ${id}: its frame or worker is gone, or was never seen`);
    return { frame, base, local: id - base };
  }

  private baseOf(frame: FrameLike, main: boolean): number {
    let base = this.bases.get(frame);
    if (base === undefined) {
      base = main ? 0 : FRAME_ID_STRIDE * (this.byBase.size + 1);
      this.bases.set(frame, base);
      if (!main) this.byBase.set(base, frame);
    }
    return base;
  }
}
