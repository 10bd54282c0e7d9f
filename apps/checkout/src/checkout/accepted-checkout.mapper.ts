import type { CheckoutStep, SealedCheckoutRequest } from '@app/contracts';

/** A `checkouts` row as PostgreSQL returns it. */
export interface CheckoutRow {
  checkout_id: string;
  client_id: string;
  request: SealedCheckoutRequest;
  cart_id: string | null;
  idempotency_key: string | null;
  initiated_event_id: string;
  accepted_at: Date;
  stuck_at: Date | null;
  last_event_type: string | null;
  settled_at: Date | null;
  settled_status: string | null;
  compensated_at: Date | null;
  compensation: CompensationRecord | null;
  compensation_refused: string | null;
}

/** What a deadline compensation did, kept so that repeating it answers the same. */
export interface CompensationRecord {
  failedStep: CheckoutStep;
  code: string;
  reason: string;
  orderId?: string;
  eventIds: string[];
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
  stuckAt?: Date;
  lastEventType?: string;
  compensatedAt?: Date;
  compensation?: CompensationRecord;
  compensationRefused?: string;
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
    ...(row.stuck_at !== null && { stuckAt: row.stuck_at }),
    ...(row.last_event_type !== null && { lastEventType: row.last_event_type }),
    ...(row.compensated_at !== null && { compensatedAt: row.compensated_at }),
    ...(row.compensation !== null && { compensation: row.compensation }),
    ...(row.compensation_refused !== null && { compensationRefused: row.compensation_refused }),
  };
}
