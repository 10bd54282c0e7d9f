/**
 * Lets a loop wait for something or for its stop, whichever comes first. Unlike
 * `Promise.race([promise, stopped])`, a wait leaves nothing behind once it is over: each race with a
 * promise that settles only at shutdown keeps a reaction on it until then, so a read loop racing on
 * every read would grow by a few hundred bytes per read for as long as the process runs.
 */
export class StopSignal {
  private readonly waiters = new Set<() => void>();
  private stopped = false;

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Ends every wait under way, and every later one at once. */
  stop(): void {
    this.stopped = true;
    for (const wake of [...this.waiters]) wake();
  }

  /** Resolves once `promise` settles (whatever its outcome) or `stop()` is called. */
  until(promise: Promise<unknown>): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = (): void => {
        this.waiters.delete(done);
        resolve();
      };
      this.waiters.add(done);
      promise.then(done, done);
    });
  }

  /** Resolves after `ms`, or at once on `stop()`. */
  async sleep(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await this.until(new Promise((resolve) => (timer = setTimeout(resolve, ms))));
    clearTimeout(timer);
  }

  /** How many waits are under way. */
  get waiting(): number {
    return this.waiters.size;
  }
}
