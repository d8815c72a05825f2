// A configuration's two tabs. Loading a document is a third of a scenario's
// time and runs nothing of it: while a scenario runs in one tab, the next
// scenario's fresh document loads in the other.

/** The little a runner needs of a Playwright or puppeteer page. */
export interface ScenarioPage {
  goto(url: string): Promise<void>;
  /** Evaluates an expression, awaiting a promise it yields; the value must be JSON. */
  evaluate<T>(expression: string): Promise<T>;
  close(): Promise<void>;
}

export class ScenarioTabs {
  private current: ScenarioPage;
  private spare: ScenarioPage;
  /** The spare tab's load begun by `preload`: whether it succeeded, and of which URL. */
  private preloaded: { url: string; loaded: Promise<boolean> } | undefined;

  constructor(pages: readonly [ScenarioPage, ScenarioPage]) {
    [this.current, this.spare] = pages;
  }

  /** Both tabs, for checks that each has what its configuration gives it. */
  get pages(): readonly ScenarioPage[] {
    return [this.current, this.spare];
  }

  /** A tab showing a fresh document at `url`: the spare tab, preloaded there or loaded now. */
  async open(url: string): Promise<ScenarioPage> {
    const preloaded = this.preloaded;
    this.preloaded = undefined;
    const ready = preloaded && (await preloaded.loaded) && preloaded.url === url;
    if (!ready) await this.spare.goto(url);
    [this.current, this.spare] = [this.spare, this.current];
    return this.current;
  }

  async close(): Promise<void> {
    await Promise.all([this.current.close(), this.spare.close()]);
  }

  /** Starts loading `url` in the spare tab, for the next `open`; the current tab is left alone. */
  preload(url: string): void {
    this.preloaded = { url, loaded: this.spare.goto(url).then(() => true, () => false) };
  }
}
