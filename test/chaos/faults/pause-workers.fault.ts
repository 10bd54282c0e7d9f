import type { ServiceProcess } from '@app/testing';
import type { Violation } from '../invariants.js';
import { progress } from '../progress.js';
import { WORKER_APPS } from '../stack.js';
import { type Fault, hold, staggered } from './fault.js';

/** Frozen well past STREAM_CLAIM_IDLE_MS (1 s), so the other instance claims what the frozen one holds. */
const FROZEN_MS = 3_000;

/** Entries an instance took up again after another consumer left them pending (its `stream_redeliveries_total`). */
async function redeliveriesOf(instance: ServiceProcess): Promise<number> {
  const text = await fetch(`${instance.url}/metrics`).then((response) => response.text());
  return text
    .split('\n')
    .filter((line) => line.startsWith('stream_redeliveries_total{'))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

/**
 * A worker that stops without dying (a long GC pause, a stalled VM): its entries are claimed by the
 * other instance of its group, then it wakes up and finishes what it had started, late.
 */
export function pauseWorkers(): Fault {
  let claimed = 0;
  return {
    name: 'pause-workers',
    description: `SIGSTOP of one of two instances of each worker (100 ms apart) for ${FROZEN_MS / 1_000} s, then SIGCONT`,
    async setup({ stack }) {
      await stack.addInstances(WORKER_APPS);
    },
    async inject({ stack }) {
      await staggered(stack.workers, 100, async (worker) => {
        worker.pause();
        await hold(FROZEN_MS);
        worker.resume();
      });
    },
    async teardown({ stack }) {
      try {
        const twins = WORKER_APPS.map((worker) => stack.instancesOf(worker)[1]!);
        claimed = (await Promise.all(twins.map(redeliveriesOf))).reduce((a, b) => a + b, 0);
        progress(`pause-workers: the second instances took up ${claimed} entries left pending`);
      } finally {
        await stack.removeExtraInstances();
      }
    },
    verify() {
      // Otherwise the fault never bit: no frozen instance was holding anything.
      const missed: Violation = { invariant: 'pending entries claimed', subject: 'second instances', detail: 'took up no entry left by a frozen instance' };
      return Promise.resolve(claimed > 0 ? [] : [missed]);
    },
  };
}
