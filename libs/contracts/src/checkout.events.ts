import type { LineItem, PricedLineItem, StockShortage } from './participants.js';

/** The step of a checkout at which a failure happened, shared by both styles. */
export type CheckoutStep = 'stock' | 'order' | 'payment' | 'confirmation';

interface CheckoutRef {
  checkoutId: string;
  clientId: string;
}

interface Refusal {
  code: string;
  reason: string;
}

/** Set on the outcome of an orchestrated checkout: the saga that ran it. Absent in the choreography. */
interface RunBy {
  sagaId?: string;
}

/**
 * Payloads of the choreographed checkout on `ecommerce.checkout.events`. Each event carries what
 * the next worker needs, so workers keep no state of their own. The two outcomes,
 * `CheckoutSucceeded` and `CheckoutFailed`, end a checkout of either style: the orchestrator
 * publishes them too (with `sagaId`), so what follows a checkout listens to one pair of events.
 */
export interface CheckoutEvents {
  /** `paymentToken` is sealed for the payments service (ADR 0012): no event carries a card token in clear. */
  CheckoutInitiated: CheckoutRef & { items: LineItem[]; paymentToken: string; cartId?: string };
  StockReserved: CheckoutRef & { items: PricedLineItem[]; totalCents: number; paymentToken: string };
  StockReservationFailed: CheckoutRef & Refusal & { shortages?: StockShortage[] };
  OrderCreated: CheckoutRef & { orderId: string; totalCents: number; paymentToken: string };
  OrderCreationFailed: CheckoutRef & Refusal;
  PaymentAuthorized: CheckoutRef & { orderId: string; amountCents: number };
  PaymentFailed: CheckoutRef & Refusal & { orderId: string };
  OrderConfirmed: CheckoutRef & { orderId: string };
  /** `failedStep` and `code` say why the order was cancelled (a refused payment, a deadline...). */
  OrderCancelled: CheckoutRef & { orderId: string; reason: string; failedStep?: CheckoutStep; code?: string };
  StockReleased: CheckoutRef & { failedStep: CheckoutStep; code: string; reason: string };
  CheckoutSucceeded: CheckoutRef & RunBy & { orderId: string; totalCents: number };
  CheckoutFailed: CheckoutRef & Refusal & RunBy & { failedStep: CheckoutStep };
}
