/**
 * Runs tasks in parallel across keys and one after the other within a key, in the order they were
 * added; a task without a key waits for nothing. `size` counts tasks added and not yet settled,
 * which is what bounds the work in flight.
 * Tasks report their own failures: a rejection is passed to `onError` and does not stop the key.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<void>>();
  private waiters: Array<() => void> = [];
  private count = 0;

  constructor(private readonly onError: (error: unknown) => void) {}

  get size(): number {
    return this.count;
  }

  /** Adds a task behind every unsettled task of `key` (`null`: behind none); resolves once it settled. */
  add(key: string | null, task: () => Promise<void>): Promise<void> {
    this.count += 1;
    const previous = (key === null ? undefined : this.tails.get(key)) ?? Promise.resolve();
    const settled = previous
      .then(task)
      .catch(this.onError)
      .finally(() => {
        this.count -= 1;
        if (key !== null && this.tails.get(key) === settled) this.tails.delete(key);
        this.wake();
      });
    if (key !== null) this.tails.set(key, settled);
    return settled;
  }

  /** Resolves once fewer than `limit` tasks are unsettled. */
  async below(limit: number): Promise<void> {
    while (this.count >= limit) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  /** Resolves once every task added so far (and any added meanwhile) has settled. */
  idle(): Promise<void> {
    return this.below(1);
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
