import type { CheckoutStep } from '@app/contracts';
import type { CheckoutView } from '@app/projections';

/** What a deadline compensation did, kept so that repeating it answers the same. */
export interface CompensationRecord {
  failedStep: CheckoutStep;
  code: string;
  reason: string;
  orderId?: string;
  eventIds: string[];
}

/** A watched checkout, with the view the events consumed so far fold into (none before the first is applied). */
export interface WatchedCheckout {
  checkoutId: string;
  clientId: string;
  initiatedEventId: string;
  acceptedAt: Date;
  view?: CheckoutView;
  compensatedAt?: Date;
  compensation?: CompensationRecord;
}

/** A `watched_checkouts` row joined with its `checkout_view`, as PostgreSQL returns it. */
export interface WatchedCheckoutRow {
  checkout_id: string;
  client_id: string;
  initiated_event_id: string;
  accepted_at: Date;
  view: CheckoutView | null;
  compensated_at: Date | null;
  compensation: CompensationRecord | null;
}

export function toWatchedCheckout(row: WatchedCheckoutRow): WatchedCheckout {
  return {
    checkoutId: row.checkout_id,
    clientId: row.client_id,
    initiatedEventId: row.initiated_event_id,
    acceptedAt: row.accepted_at,
    ...(row.view !== null && { view: row.view }),
    ...(row.compensated_at !== null && { compensatedAt: row.compensated_at }),
    ...(row.compensation !== null && { compensation: row.compensation }),
  };
}
