import type { CheckoutStep } from '@app/contracts';
import { type Span, checkoutAttributes, inSpan, recordOutcome, recordTransition } from '@app/observability';
import type { Decision } from './saga.machine.js';
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
