import { counter, histogram } from '@app/observability';
import type { Decision, SagaState } from './saga.machine.js';
import type { SagaFailure } from './saga.model.js';

const OUTCOME_OF: Partial<Record<SagaState, string>> = { SAGA_TERMINEE: 'completed', SAGA_ANNULEE: 'cancelled', COMPENSATION_ECHOUEE: 'compensation_failed' };

/** The orchestrator's metrics (seed names kept), on the default registry. */
export const sagaMetrics = () => ({
  started: counter({ name: 'saga_started_total', help: 'Orchestrated sagas started' }),
  completed: counter({ name: 'saga_completed_total', help: 'Orchestrated sagas that reached SAGA_TERMINEE' }),
  failed: counter<'reason' | 'step'>({
    name: 'saga_failed_total',
    help: 'Orchestrated sagas that failed and went to compensation, by code and step',
    labelNames: ['reason', 'step'],
  }),
  execution: histogram<'outcome'>({ name: 'saga_execution_duration_seconds', help: 'From the start of a saga to its terminal state', labelNames: ['outcome'] }),
  stateDuration: histogram<'state'>({ name: 'saga_state_duration_seconds', help: 'Time a saga spent in a state before leaving it', labelNames: ['state'] }),
  checkout: histogram<'pattern' | 'outcome'>({
    name: 'checkout_duration_seconds',
    help: 'End-to-end checkout duration by saga style and outcome',
    labelNames: ['pattern', 'outcome'],
  }),
});

export type SagaMetrics = ReturnType<typeof sagaMetrics>;

/** The saga a decision was taken on: since when it is in its state, since when it runs, why it failed. */
export interface DecisionContext {
  enteredAt: Date;
  createdAt: Date;
  failure?: SagaFailure;
}

/** Counts what a recorded decision means: time spent in the state left, completions, failures. */
export function observeDecision(metrics: SagaMetrics, decision: Decision, { enteredAt, createdAt, failure }: DecisionContext, now = Date.now()): void {
  const [first] = decision.transitions;
  if (first !== undefined) metrics.stateDuration.observe({ state: first.from }, (now - enteredAt.getTime()) / 1_000);
  for (const { from, to } of decision.transitions) {
    if (to === 'SAGA_TERMINEE') metrics.completed.inc();
    // A forced compensation of a finished saga or the retry of a parked one is no new failure.
    if (to === 'COMPENSATION_EN_COURS' && from !== 'SAGA_TERMINEE' && from !== 'COMPENSATION_ECHOUEE') {
      metrics.failed.inc({ reason: failure?.code ?? 'UNKNOWN', step: failure?.step ?? 'unknown' });
    }
    const outcome = OUTCOME_OF[to];
    if (outcome !== undefined) metrics.execution.observe({ outcome }, (now - createdAt.getTime()) / 1_000);
  }
}
