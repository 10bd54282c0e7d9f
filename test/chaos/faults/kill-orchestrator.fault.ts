import type { Fault } from './fault.js';

/** The orchestrator dies with sagas at every step: on restart it resumes them from their persisted state. */
export const killOrchestrator: Fault = {
  name: 'kill-orchestrator',
  description: 'SIGKILL of saga-orchestrator mid-saga, restarted at once',
  async inject({ stack }) {
    const orchestrator = stack.app('saga-orchestrator');
    await orchestrator.kill();
    await orchestrator.restart();
  },
};
