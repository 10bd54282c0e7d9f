import { inSpan, recordOutcome } from '@app/observability';
import type { InventoryClient } from './inventory.client.js';
import type { PlannedCompensation } from './compensation.plan.js';
import { cancelOrder } from './order.steps.js';
import type { OrdersClient } from './orders.client.js';
import { voidPayment } from './payment.steps.js';
import type { PaymentsClient } from './payments.client.js';
import { releaseStock } from './stock.steps.js';

/** The participants a compensation may call. */
export interface CompensatingParticipants {
  inventory: Pick<InventoryClient, 'release'>;
  orders: Pick<OrdersClient, 'cancelByCheckout'>;
  payments: Pick<PaymentsClient, 'void'>;
}

/**
 * Runs one compensation of a checkout (idempotent, leaving a tombstone when it comes before its
 * step). `cancelOrderUnlessConfirmed` rejects with `ORDERS.ORDER_CONFIRMED` when the order is confirmed.
 * @throws TransientStepError the participant stayed unreachable; repeating is safe.
 */
export function compensate(participants: CompensatingParticipants, compensation: PlannedCompensation, checkoutId: string): Promise<unknown> {
  return compensationSpan<unknown>(compensation, checkoutId, () => {
    switch (compensation) {
      case 'voidPayment':
        return voidPayment(participants.payments, checkoutId);
      case 'cancelOrder':
        return cancelOrder(participants.orders, checkoutId);
      case 'cancelOrderUnlessConfirmed':
        return cancelOrder(participants.orders, checkoutId, { unlessConfirmed: true });
      case 'releaseStock':
        return releaseStock(participants.inventory, checkoutId);
    }
  });
}

/**
 * Traces one compensation as the span `compensate <compensation>`, in either saga style (the
 * style is on the span around it): a trace shows what a failed checkout undid, in order.
 */
export function compensationSpan<T>(compensation: PlannedCompensation, checkoutId: string, calls: () => Promise<T>): Promise<T> {
  const attributes = { 'checkout.id': checkoutId, 'saga.step': 'compensation', 'saga.compensation': compensation };
  return inSpan(`compensate ${compensation}`, attributes, async (span) => {
    const answer = await calls();
    recordOutcome('ok', span);
    return answer;
  });
}

/**
 * Runs a plan in order and resolves with each compensation's answer, in plan order. Stops at the
 * first one that fails: every compensation is idempotent, so the whole plan can be run again.
 */
export async function runPlan(participants: CompensatingParticipants, plan: readonly PlannedCompensation[], checkoutId: string): Promise<unknown[]> {
  const answers: unknown[] = [];
  for (const compensation of plan) answers.push(await compensate(participants, compensation, checkoutId));
  return answers;
}
