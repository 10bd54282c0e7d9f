import type { Authorization, AuthorizationStatus } from '@app/contracts';

/** An authorizations row as PostgreSQL returns it. */
export interface AuthorizationRow {
  checkout_id: string;
  status: AuthorizationStatus;
  amount_cents: number;
  decline_code: string | null;
  reason: string | null;
}

export const toAuthorization = (row: AuthorizationRow): Authorization => ({
  checkoutId: row.checkout_id,
  status: row.status,
  amountCents: row.amount_cents,
  ...(row.reason === null ? {} : { reason: row.reason }),
});

/**
 * A void that arrived before any authorization leaves a VOIDED row of amount 0, so a late
 * authorize is refused. A real authorization always has an amount of at least 1.
 */
export const isTombstone = (row: AuthorizationRow): boolean => row.status === 'VOIDED' && row.amount_cents === 0;
