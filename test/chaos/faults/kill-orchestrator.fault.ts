import { type Fault, crashAndRestart } from './fault.js';

/** The orchestrator dies with sagas at every step: on restart it resumes them from their persisted state. */
export const killOrchestrator: Fault = {
  name: 'kill-orchestrator',
  description: 'SIGKILL of saga-orchestrator mid-saga, restarted at once',
  inject: ({ stack }) => crashAndRestart(stack.app('saga-orchestrator')),
};
