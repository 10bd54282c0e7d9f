/**
 * Polls `probe` until it returns without throwing, or fails with its last error at the deadline.
 * Tests wait for conditions this way, never with fixed sleeps.
 */
export async function eventually<T>(probe: () => T | Promise<T>, { timeoutMs = 10_000, intervalMs = 25 } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await probe();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}
