// Bounded polling: every wait in the e2e harness has a deadline and names what it waited for.

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface WaitOptions {
  /** Default 15 s. */
  timeoutMs?: number;
  /** Default 100 ms. */
  intervalMs?: number;
}

/**
 * Calls `probe` until it returns something other than `undefined`, `null` or
 * `false`, and returns that. Errors thrown by `probe` count as "not yet" (a
 * target may still be loading); the last one is quoted if time runs out.
 * `what` may be a function, to describe what was seen when time ran out.
 */
export async function waitFor<T>(
  what: string | (() => string),
  probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  { timeoutMs = 15_000, intervalMs = 100 }: WaitOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== null && value !== false) return value;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      const described = typeof what === 'function' ? what() : what;
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${described}${cause}`);
    }
    await sleep(intervalMs);
  }
}
