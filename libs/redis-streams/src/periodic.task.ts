/** A repeating background task; `stop()` resolves once a run under way has finished. */
export interface PeriodicTask {
  stop(): Promise<void>;
}

/**
 * Runs `run` every `intervalMs` after the previous run finished, so slow runs (a Redis outage)
 * never pile up. Failures go to `onError` and do not stop the schedule. A function as `intervalMs`
 * is asked again before each wait, so a task can back off while there is nothing for it to do.
 */
export function startPeriodic(intervalMs: number | (() => number), run: () => Promise<unknown>, onError: (error: unknown) => void): PeriodicTask {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  const schedule = (): void => {
    if (!stopped) timer = setTimeout(tick, typeof intervalMs === 'number' ? intervalMs : intervalMs());
  };
  const tick = (): void => {
    running = run()
      .then(() => undefined, onError)
      .finally(() => {
        running = undefined;
        schedule();
      });
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

/** Whether `promise` settled within `ms`. */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([
      promise.then(
        () => true as const,
        () => true as const,
      ),
      deadline,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
