import type { Order, Reservation } from '@app/contracts';
import type { InventoryClient } from './inventory.client.js';
import type { CancelOptions, CancelledCheckout, OrdersClient, PlaceOrder } from './orders.client.js';
import { type StepOutcome, refusalAware } from './step-outcome.js';

/** Step 3: the PENDING order at the quoted prices. Refused with `ORDERS.OVER_LIMIT` or `ORDERS.ORDER_CANCELLED`. */
export function createOrder(orders: Pick<OrdersClient, 'create'>, order: PlaceOrder): Promise<StepOutcome<{ order: Order }>> {
  return refusalAware('order', async () => ({ order: await orders.create(order) }));
}

/**
 * Compensation of step 3 (and of a finished sale), by checkout so it works even when the create's
 * answer was lost: cancels the order, or leaves a tombstone that refuses a late create. With
 * `{ unlessConfirmed: true }` a CONFIRMED order is refused (`ORDERS.ORDER_CONFIRMED`) instead.
 */
export function cancelOrder(orders: Pick<OrdersClient, 'cancelByCheckout'>, checkoutId: string, options?: CancelOptions): Promise<Order | CancelledCheckout> {
  return orders.cancelByCheckout(checkoutId, options);
}

/**
 * Step 5: the reservation becomes a sale, then the order is confirmed, which is the moment the
 * checkout has succeeded. Both calls are idempotent, so the step can be repeated as a whole. Refused
 * when a compensation got there first (`INVENTORY.RESERVATION_RELEASED`, `ORDERS.ORDER_CANCELLED`).
 */
export function confirmOrder(
  participants: { inventory: Pick<InventoryClient, 'confirm'>; orders: Pick<OrdersClient, 'confirm'> },
  { checkoutId, orderId }: { checkoutId: string; orderId: string },
): Promise<StepOutcome<{ order: Order; reservation: Reservation }>> {
  return refusalAware('confirmation', async () => {
    const reservation = await participants.inventory.confirm(checkoutId);
    const order = await participants.orders.confirm(orderId);
    return { order, reservation };
  });
}
