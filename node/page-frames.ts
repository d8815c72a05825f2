// A page's documents, one per frame, each with its own Sockscope (the init
// script runs in every frame): the helper's calls reach the frame a socket,
// a held message or a rule lives in, or every frame. A frame's ids are its
// document's own plus the frame's base, FRAME_ID_STRIDE apart; the main
// frame's base is 0, so a page without frames keeps the ids its document gives.

/** The part of a Playwright `Frame` the helper uses. */
export interface FrameLike {
  evaluate<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
}

export const FRAME_ID_STRIDE = 1_000_000_000;

export class PageFrames {
  private readonly bases = new Map<FrameLike, number>();
  private readonly byBase = new Map<number, FrameLike>();

  constructor(private readonly page: { mainFrame(): FrameLike; frames(): FrameLike[] }) {}

  /** Every frame now, the main one first, each with its base. */
  all(): { frame: FrameLike; base: number }[] {
    const main = this.page.mainFrame();
    return [main, ...this.page.frames().filter((frame) => frame !== main)].map((frame) => ({ frame, base: this.baseOf(frame, frame === main) }));
  }

  /** The frame an id of the helper's names, and the id in that frame's document. */
  locate(id: number, what: string): { frame: FrameLike; base: number; local: number } {
    if (typeof id !== 'number') return { frame: this.page.mainFrame(), base: 0, local: id };
    const base = id - (id % FRAME_ID_STRIDE);
    if (base === 0) return { frame: this.page.mainFrame(), base, local: id };
    const frame = this.byBase.get(base);
    if (!frame) throw new Error(`no ${what} ${id}: its frame is gone, or was never seen`);
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
