import { type Authorization, ErrorCode } from '@app/contracts';
import type { AuthorizePayment, PaymentsClient } from './payments.client.js';
import { type StepOutcome, refusalAware, refused } from './step-outcome.js';

/**
 * Step 4: the order's total authorized on the card. Refused with `PAYMENTS.CARD_DECLINED` or
 * `PAYMENTS.INSUFFICIENT_FUNDS`.
 */
export async function authorizePayment(
  payments: Pick<PaymentsClient, 'authorize'>,
  request: AuthorizePayment,
): Promise<StepOutcome<{ authorization: Authorization }>> {
  const outcome = await refusalAware('payment', async () => ({ authorization: await payments.authorize(request) }));
  if (outcome.ok && outcome.authorization.status !== 'AUTHORIZED') {
    // A payments service that answered a decline with a 2xx still declined.
    return refused('payment', ErrorCode.CardDeclined, outcome.authorization.reason ?? `Authorization is ${outcome.authorization.status}`);
  }
  return outcome;
}

/**
 * Compensation of step 4 (and of a finished sale): voids the checkout's authorization, or leaves a
 * tombstone that refuses a late one. Idempotent.
 */
export function voidPayment(payments: Pick<PaymentsClient, 'void'>, checkoutId: string): Promise<Authorization> {
  return payments.void(checkoutId);
}
