import { setTimeout as hold } from 'node:timers/promises';
import type { ServiceProcess } from '@app/testing';
import type { Violation } from '../invariants.js';
import type { ChaosStack } from '../stack.js';

export { hold };

/** What a fault works on. */
export interface FaultContext {
  stack: ChaosStack;
  /** Stream entry ids the suite wrote that are not events of the system (poison): the no-event-lost check skips them. */
  injected: Set<string>;
}

/**
 * One kind of fault. The runner calls `setup`, then `inject` once per cycle under steady load (each
 * call hits, holds the fault for its duration, and heals it: it resolves once the system is whole
 * again), then `teardown`, and after convergence `verify` for what only this fault can check.
 */
export interface Fault {
  name: string;
  /** One line for the report: what is done to which part, for how long. */
  description: string;
  setup?(context: FaultContext): Promise<void>;
  inject(context: FaultContext, cycle: number): Promise<void>;
  teardown?(context: FaultContext): Promise<void>;
  verify?(context: FaultContext): Promise<Violation[]>;
}

/** Runs `act` on each target, the next one `gapMs` after the previous began, so the hits land at different moments of the sagas. */
export async function staggered<T>(targets: readonly T[], gapMs: number, act: (target: T) => Promise<void>): Promise<void> {
  await Promise.all(
    targets.map(async (target, i) => {
      await hold(i * gapMs);
      await act(target);
    }),
  );
}

/**
 * A graceful stop with a grace period, as a container orchestrator gives one: SIGTERM, then SIGKILL
 * if the process is still draining after `graceMs`.
 */
export async function stopWithin(process: ServiceProcess, graceMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
  const stopped = process.stop().then(() => 'stopped' as const);
  if ((await Promise.race([stopped, grace])) !== 'stopped') await process.kill();
  clearTimeout(timer);
}

/** A crash and what a supervisor does about it: SIGKILL, then the same process started again at once. */
export async function crashAndRestart(process: ServiceProcess): Promise<void> {
  await process.kill();
  await process.restart();
}
