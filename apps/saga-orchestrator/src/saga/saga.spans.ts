import { type CheckoutStep, traceCarrierOf } from '@app/contracts';
import { type Span, checkoutAttributes, inSpan, inSpanFrom, recordOutcome, recordTransition } from '@app/observability';
import type { Decision } from './saga.machine.js';
import type { SagaRecord } from './saga.mapper.js';
import type { SagaCommand, SagaOutcome, StepCall } from './saga.model.js';

/** The business step each participant call belongs to (availability and reservation are both the stock step). */
const STEP_OF: Record<StepCall['step'], CheckoutStep> = {
  checkAvailability: 'stock',
  reserveStock: 'stock',
  createOrder: 'order',
  authorizePayment: 'payment',
  confirmOrder: 'confirmation',
};

/** `ok`, or the code of the refusal or failure an outcome reports. */
export function outcomeCodeOf(outcome: SagaOutcome): string {
  return outcome.type === 'StepFailed' || outcome.type === 'CompensationFailed' || outcome.type === 'CompensationRequested' ? outcome.code : 'ok';
}

/**
 * Runs one command of a saga (its call, then the recording of the decision) in the span
 * `step <step>` or `compensation`, carrying the checkout, the style, the step and the outcome code;
 * the transitions the decision records are events of that span.
 */
export function inCommandSpan<T>(
  command: Exclude<SagaCommand, { kind: 'stop' }>,
  checkoutId: string,
  work: (span: Span | undefined) => Promise<T>,
): Promise<T> {
  const step = command.kind === 'run' ? STEP_OF[command.step] : 'compensation';
  const attributes = { ...checkoutAttributes({ checkoutId, style: 'orchestrated', step }), ...(command.kind === 'run' && { 'saga.command': command.step }) };
  return inSpan(command.kind === 'run' ? `step ${step}` : 'compensation', attributes, work);
}

/** Records the outcome code and the transitions of a decision on the span of its command. */
export function recordDecision(span: Span | undefined, outcome: SagaOutcome, decision: Pick<Decision, 'transitions'>): void {
  if (span === undefined) return;
  recordOutcome(outcomeCodeOf(outcome), span);
  for (const { from, to } of decision.transitions) recordTransition(from, to, span);
}

/** What took a saga up again without a request: the crash recovery scan, or the retry of a parked saga. */
export type ResumedBy = 'recovery' | 'parked-retry';

/**
 * Runs the resumption of a saga in the span `saga resume`, child of the trace context stored with
 * the saga when its request created it: the steps run after a crash, by whichever instance, are in
 * the checkout's trace. A saga stored without a context (tracing was off) or with a garbled one is
 * resumed in a new trace, never refused.
 */
export function inResumeSpan<T>(saga: SagaRecord, resumedBy: ResumedBy, work: () => Promise<T>): Promise<T> {
  const attributes = {
    ...checkoutAttributes({ checkoutId: saga.checkoutId, style: 'orchestrated' }),
    'saga.id': saga.id,
    'saga.attempt': saga.attempt,
    'saga.resumed_by': resumedBy,
  };
  return inSpanFrom(traceCarrierOf(saga), 'saga resume', attributes, work);
}
