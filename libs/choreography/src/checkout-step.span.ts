import type { CheckoutStep } from '@app/contracts';
import { checkoutAttributes, inSpan, recordOutcome } from '@app/observability';
import { redeliverIfUnavailable } from './delivery.policy.js';

/** `ok`, or the code of a refusal, for an outcome of the checkout steps (anything else: `ok`). */
export function outcomeCodeOf(outcome: unknown): string {
  if (typeof outcome === 'object' && outcome !== null && (outcome as { ok?: unknown }).ok === false) {
    const code = (outcome as { code?: unknown }).code;
    return typeof code === 'string' ? code : 'refused';
  }
  return 'ok';
}

/**
 * A worker's participant calls for one business step of a checkout ({@link redeliverIfUnavailable}),
 * traced as the span `step <step>` with the checkout, the style and the outcome code.
 */
export function runCheckoutStep<T>(step: CheckoutStep, checkoutId: string, calls: () => Promise<T>): Promise<T> {
  return inSpan(`step ${step}`, checkoutAttributes({ checkoutId, style: 'choreographed', step }), async (span) => {
    const outcome = await redeliverIfUnavailable(calls);
    recordOutcome(outcomeCodeOf(outcome), span);
    return outcome;
  });
}
