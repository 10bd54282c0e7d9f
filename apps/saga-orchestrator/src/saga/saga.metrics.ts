import { checkoutMetrics, counter, histogram } from '@app/observability';
import { type Decision, STATES, type SagaState } from './saga.machine.js';
import type { SagaFailure } from './saga.model.js';

const OUTCOME_OF: Partial<Record<SagaState, string>> = { SAGA_TERMINEE: 'completed', SAGA_ANNULEE: 'cancelled', COMPENSATION_ECHOUEE: 'compensation_failed' };

/** The forced compensations that can happen: by an operator, of any saga; by the deadline, of one in flight. */
const FORCED_SERIES = [
  { reason: 'SAGA.COMPENSATION_FORCED', after: 'finished' },
  { reason: 'SAGA.COMPENSATION_FORCED', after: 'in_flight' },
  { reason: 'SAGA.DEADLINE_EXCEEDED', after: 'in_flight' },
];

/** The orchestrator's metrics (seed names kept) and its side of the comparison metrics, on the default registry. */
export const sagaMetrics = () => {
  const metrics = sagaMetricSet();
  // Exposed at 0 from the start, so the dashboards' ratios have a series before the first forced compensation.
  for (const labels of FORCED_SERIES) metrics.forcedCompensations.inc(labels, 0);
  return metrics;
};

const sagaMetricSet = () => ({
  started: counter({ name: 'saga_started_total', help: 'Orchestrated sagas started' }),
  completed: counter({ name: 'saga_completed_total', help: 'Orchestrated sagas that reached SAGA_TERMINEE' }),
  failed: counter<'reason' | 'step'>({
    name: 'saga_failed_total',
    help: 'Orchestrated sagas that failed and went to compensation, by code and step',
    labelNames: ['reason', 'step'],
  }),
  forcedCompensations: counter<'reason' | 'after'>({
    name: 'saga_forced_compensations_total',
    help: 'Compensations forced by an operator or the deadline, by code and whether the saga had finished or was in flight',
    labelNames: ['reason', 'after'],
  }),
  execution: histogram<'outcome'>({
    name: 'saga_execution_duration_seconds',
    help: 'From the start of a saga to the first terminal state it reached, once per saga',
    labelNames: ['outcome'],
  }),
  stateDuration: histogram<'state'>({ name: 'saga_state_duration_seconds', help: 'Time a saga spent in a state before leaving it', labelNames: ['state'] }),
  checkout: checkoutMetrics(),
});

export type SagaMetrics = ReturnType<typeof sagaMetrics>;

/** The saga a decision was taken on: since when it is in its state, since when it runs, why it failed. */
export interface DecisionContext {
  enteredAt: Date;
  /** When the checkout was requested. */
  createdAt: Date;
  failure?: SagaFailure;
  /** The saga had ended before (see `SagaData.reopened`): its outcome was counted then. */
  reopened?: boolean;
}

/**
 * Counts what a recorded decision means: time spent in the state left, time spent in the business
 * step left, completions, failures.
 */
export function observeDecision(metrics: SagaMetrics, decision: Decision, context: DecisionContext, now = Date.now()): void {
  const [first] = decision.transitions;
  if (first === undefined) return;
  metrics.stateDuration.observe({ state: first.from }, (now - context.enteredAt.getTime()) / 1_000);
  observeStep(metrics, decision, first.from, context, now);
  const labels = { reason: context.failure?.code ?? 'UNKNOWN', step: context.failure?.step ?? 'unknown' };
  for (const { from, to } of decision.transitions) {
    if (to === 'SAGA_TERMINEE') metrics.completed.inc();
    // The retry of a parked compensation is the same failure again, not a new one.
    if (to === 'COMPENSATION_EN_COURS' && from !== 'COMPENSATION_ECHOUEE') metrics.failed.inc(labels);
    // Only a request leads from a state with a business stage straight into compensation: a refusal passes an ECHEC_* state first.
    if (to === 'COMPENSATION_EN_COURS' && STATES[from].stage !== undefined) {
      metrics.forcedCompensations.inc({ reason: labels.reason, after: from === 'SAGA_TERMINEE' ? 'finished' : 'in_flight' });
    }
    const outcome = OUTCOME_OF[to];
    if (outcome !== undefined && context.reopened !== true) metrics.execution.observe({ outcome }, (now - context.createdAt.getTime()) / 1_000);
  }
}

/**
 * `checkout_step_duration_seconds{pattern="orchestrated"}` when a decision ends the business step
 * whose call was in flight, as the choreography measures it between the events that open and close
 * a step. The stock step spans two calls (availability, then reservation), so it starts with the
 * request; every later step starts when the saga entered the state running its call.
 */
function observeStep(metrics: SagaMetrics, decision: Decision, left: SagaState, { enteredAt, createdAt }: DecisionContext, now: number): void {
  const { runs, stage } = STATES[left];
  if (runs === undefined || stage === undefined) return;
  const next = STATES[decision.state];
  if (next.stage === stage && next.runs !== undefined) return;
  const since = stage === 'stock' ? createdAt : enteredAt;
  metrics.checkout.stepDuration.observe({ pattern: 'orchestrated', step: stage }, (now - since.getTime()) / 1_000);
}
