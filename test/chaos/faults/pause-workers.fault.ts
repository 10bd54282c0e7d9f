import { WORKER_APPS } from '../stack.js';
import { type Fault, hold, staggered } from './fault.js';

/** Frozen well past STREAM_CLAIM_IDLE_MS (1 s), so the other instance claims what the frozen one holds. */
const FROZEN_MS = 3_000;

/**
 * A worker that stops without dying (a long GC pause, a stalled VM): its entries are claimed by the
 * other instance of its group, then it wakes up and finishes what it had started, late.
 */
export const pauseWorkers: Fault = {
  name: 'pause-workers',
  description: `SIGSTOP of one of two instances of each worker (100 ms apart) for ${FROZEN_MS / 1_000} s, then SIGCONT`,
  async setup({ stack }) {
    await Promise.all(WORKER_APPS.map((worker) => stack.addInstance(worker)));
  },
  async inject({ stack }) {
    await staggered(stack.workers, 100, async (worker) => {
      worker.pause();
      await hold(FROZEN_MS);
      worker.resume();
    });
  },
  async teardown({ stack }) {
    await stack.removeExtraInstances();
  },
};
