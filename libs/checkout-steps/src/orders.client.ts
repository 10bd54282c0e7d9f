import type { Order, PricedLineItem } from '@app/contracts';
import { ParticipantClient } from './participant.client.js';
import type { ParticipantClientOptions } from './participant-client.options.js';

/** What the orders service answers when a checkout is cancelled before its order existed. */
export interface CancelledCheckout {
  checkoutId: string;
  status: 'CANCELLED';
}

/** How a cancellation by checkout treats an order that is already confirmed. */
export interface CancelOptions {
  /** Refuse (409 `ORDERS.ORDER_CONFIRMED`) rather than cancel a CONFIRMED order: a deadline compensation must not undo a success. */
  unlessConfirmed?: boolean;
}

/** The order of a checkout, at the prices the inventory quoted. */
export interface PlaceOrder {
  checkoutId: string;
  clientId: string;
  items: readonly PricedLineItem[];
}

/** The orders service: one order per checkout. */
export class OrdersClient extends ParticipantClient {
  constructor(options: ParticipantClientOptions) {
    super('orders', options);
  }

  /**
   * Opens the PENDING order of the checkout (or returns it again).
   * @throws RuleViolationError `ORDERS.OVER_LIMIT`; ConflictError `ORDERS.ORDER_CANCELLED` (cancelled first).
   */
  create(order: PlaceOrder): Promise<Order> {
    return this.http.call('createOrder', 'POST', '/orders', order);
  }

  /** PENDING to CONFIRMED. @throws ConflictError `ORDERS.ORDER_CANCELLED`. */
  confirm(orderId: string): Promise<Order> {
    return this.http.call('confirmOrder', 'POST', `/orders/${encodeURIComponent(orderId)}/confirm`);
  }

  /**
   * CONFIRMED to REFUNDED (its parcel was lost or damaged and not reshipped). Idempotent; a cancelled order is answered as it is.
   * @throws ConflictError `ORDERS.ORDER_NOT_CONFIRMED` (still PENDING).
   */
  refund(orderId: string): Promise<Order> {
    return this.http.call('refundOrder', 'POST', `/orders/${encodeURIComponent(orderId)}/refund`);
  }

  /**
   * Cancels the checkout's order, or leaves a tombstone that refuses a late create. Idempotent.
   * With `unlessConfirmed`, a CONFIRMED order is left alone.
   * @throws ConflictError `ORDERS.ORDER_CONFIRMED` (only with `unlessConfirmed`).
   */
  cancelByCheckout(checkoutId: string, options: CancelOptions = {}): Promise<Order | CancelledCheckout> {
    const path = `/orders/by-checkout/${encodeURIComponent(checkoutId)}/cancel`;
    return options.unlessConfirmed === true
      ? this.http.call('cancelOrder', 'POST', path, { unlessConfirmed: true })
      : this.http.call('cancelOrder', 'POST', path);
  }
}
