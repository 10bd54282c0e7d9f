import { SagaState } from '@app/contracts';
import type { Decision } from './saga.machine.js';
import type { SagaRecord } from './saga.mapper.js';
import type { SagaFacts } from './saga.model.js';

/** A line worth logging at the default level: how a checkout ended, or the compensation it went through. */
export interface SagaMilestone {
  level: 'log' | 'warn';
  line: { msg: string; checkoutId: string; sagaId: string; pattern: 'orchestrated'; [field: string]: unknown };
}

/**
 * What a recorded decision is worth in the logs: its compensation once done, and the outcome when
 * the saga stopped (a parked saga, which needs attention, as a warning).
 */
export function milestonesOf(saga: Pick<SagaRecord, 'id' | 'checkoutId'> & { data: SagaFacts }, decision: Decision): SagaMilestone[] {
  const base = { checkoutId: saga.checkoutId, sagaId: saga.id, pattern: 'orchestrated' as const };
  const { failure, compensation, orderId } = saga.data;
  const plan = compensation?.plan ?? [];
  const milestones: SagaMilestone[] = [];
  if (plan.length > 0 && decision.transitions.some((t) => t.from === SagaState.COMPENSATION_EN_COURS && t.to === SagaState.SAGA_ANNULEE)) {
    milestones.push({ level: 'log', line: { ...base, msg: `Checkout ${saga.checkoutId} compensated: ${plan.join(', ')}`, compensation: plan } });
  }
  const why = { failedStep: failure?.step, code: failure?.code, reason: failure?.reason };
  switch (decision.state) {
    case SagaState.SAGA_TERMINEE:
      milestones.push({ level: 'log', line: { ...base, msg: `Checkout ${saga.checkoutId} succeeded`, outcome: 'succeeded', orderId } });
      break;
    case SagaState.SAGA_ANNULEE:
      milestones.push({
        level: 'log',
        line: { ...base, msg: `Checkout ${saga.checkoutId} failed at ${why.failedStep}: ${why.code}`, outcome: 'failed', ...why },
      });
      break;
    case SagaState.COMPENSATION_ECHOUEE: {
      const error = compensation?.error;
      const msg = `Checkout ${saga.checkoutId} parked in COMPENSATION_ECHOUEE: ${error?.compensation} failed ${error?.tries} time(s): ${error?.reason}`;
      milestones.push({ level: 'warn', line: { ...base, msg, outcome: 'parked', ...why, compensationError: error } });
      break;
    }
    default:
      break;
  }
  return milestones;
}
