import type { SealedCheckoutRequest } from '@app/contracts';

/** A `checkouts` row as PostgreSQL returns it. */
export interface CheckoutRow {
  checkout_id: string;
  client_id: string;
  request: SealedCheckoutRequest;
  cart_id: string | null;
  idempotency_key: string | null;
  initiated_event_id: string;
  accepted_at: Date;
}

/** A choreographed checkout this app accepted. */
export interface AcceptedCheckout {
  checkoutId: string;
  clientId: string;
  request: SealedCheckoutRequest;
  cartId?: string;
  idempotencyKey?: string;
  initiatedEventId: string;
  acceptedAt: Date;
}

export function toAcceptedCheckout(row: CheckoutRow): AcceptedCheckout {
  return {
    checkoutId: row.checkout_id,
    clientId: row.client_id,
    request: row.request,
    initiatedEventId: row.initiated_event_id,
    acceptedAt: row.accepted_at,
    ...(row.cart_id !== null && { cartId: row.cart_id }),
    ...(row.idempotency_key !== null && { idempotencyKey: row.idempotency_key }),
  };
}
