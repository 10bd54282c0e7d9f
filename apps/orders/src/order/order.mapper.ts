import type { Order, OrderStatus, PricedLineItem } from '@app/contracts';

/** An orders row as PostgreSQL returns it: bigint arrives as a string from a column, as a number inside jsonb. */
export interface OrderRow {
  order_id: string;
  checkout_id: string;
  client_id: string;
  status: OrderStatus;
  items: PricedLineItem[];
  total_cents: string | number;
}

export const toOrder = (row: OrderRow): Order => ({
  orderId: row.order_id,
  checkoutId: row.checkout_id,
  clientId: row.client_id,
  status: row.status,
  items: row.items,
  totalCents: Number(row.total_cents),
});

/**
 * What cancelling a checkout answers when its order was never created: a tombstone that refuses
 * the late create.
 */
export interface CancelledCheckout {
  checkoutId: string;
  status: 'CANCELLED';
}
