export interface WaitForOptions {
  /** what is awaited, for the error on time-out */
  what?: string;
  timeoutMs?: number;
  intervalMs?: number;
}

/**
 * Polls `probe` until it answers a truthy value, and returns that value; throws `timed out waiting
 * for <what>` once `timeoutMs` has passed. The one polling loop of the tests: they wait for the state
 * they assert, never for a fixed time.
 */
export async function waitFor<T>(probe: () => T | undefined | null | false | Promise<T | undefined | null | false>, options: WaitForOptions = {}): Promise<T> {
  const { what = 'condition', timeoutMs = 5000, intervalMs = 25 } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
