import { type Fault, crashAndRestart, staggered } from './fault.js';

/** Each worker dies holding entries it read and did not acknowledge: restarted, it takes them up again. */
export const killWorkers: Fault = {
  name: 'kill-workers',
  description: 'SIGKILL of each of the nine workers in turn (150 ms apart) mid-saga, each restarted at once',
  inject: ({ stack }) => staggered(stack.workers, 150, crashAndRestart),
};
