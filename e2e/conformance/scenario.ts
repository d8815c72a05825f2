// A conformance scenario: one piece of page code run against the native
// WebSocket and against the shim, whose traces must be equal.
import type { BrowserName, Env, Tools } from './page-tools';

export interface Scenario {
  name: string;
  /**
   * Runs in the page, sent there as source text: an arrow function that uses
   * only its arguments and the page's globals (no variables from this side:
   * pass data as `arg`, which must be JSON). What it logs through `t`, in
   * order, is its trace; an exception it lets escape is logged too.
   */
  run: (t: Tools, env: Env, arg: any) => unknown;
  arg?: unknown;
  /** Only in this browser (where the other lacks the feature). */
  only?: BrowserName;
  /** Run in a cross-origin isolated page (SharedArrayBuffer exists there). */
  isolated?: boolean;
}

export const scenario = (name: string, run: Scenario['run'], options: Pick<Scenario, 'arg' | 'only' | 'isolated'> = {}): Scenario => ({
  name,
  run,
  ...options,
});

/** One scenario per case: `name(arg)` names it, the same `run` receives the case as `arg`. */
export const cases = <A>(name: (arg: A) => string, args: A[], run: (t: Tools, env: Env, arg: A) => unknown): Scenario[] =>
  args.map((arg) => ({ name: name(arg), run, arg }));
