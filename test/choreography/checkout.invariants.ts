import pg from 'pg';
import type { AnyEvent, AuthorizationStatus, OrderStatus, ReservationStatus } from '@app/contracts';
import { type Participants, type TerminalEvent, isTerminal } from '@app/testing';

/** What the participants hold for one checkout. */
export interface Holdings {
  checkoutId: string;
  orders: { status: OrderStatus; totalCents: number }[];
  authorization?: { status: AuthorizationStatus; amountCents: number };
  reservation?: ReservationStatus;
}

export async function holdingsOf(participants: Participants, checkoutId: string): Promise<Holdings> {
  const [orders, authorization, reservation] = await Promise.all([
    participants.ordersOf(checkoutId),
    participants.authorizationOf(checkoutId),
    participants.reservationOf(checkoutId),
  ]);
  return {
    checkoutId,
    orders: orders.map(({ status, totalCents }) => ({ status, totalCents })),
    ...(authorization !== undefined && { authorization: { status: authorization.status, amountCents: authorization.amountCents } }),
    ...(reservation !== undefined && { reservation: reservation.status }),
  };
}

/** What a succeeded checkout of `totalCents` holds. */
export const succeeded = (checkoutId: string, totalCents: number): Holdings => ({
  checkoutId,
  orders: [{ status: 'CONFIRMED', totalCents }],
  authorization: { status: 'AUTHORIZED', amountCents: totalCents },
  reservation: 'CONFIRMED',
});

/**
 * Whether the holdings match how the checkout ended (the architecture's invariants): a succeeded
 * checkout has one confirmed order, an authorization of its total and a confirmed reservation; a
 * failed one has no live order, no live authorization and no live reservation.
 */
export function matchesEnding(ending: TerminalEvent['type'], { orders, authorization, reservation }: Holdings): boolean {
  if (ending === 'CheckoutSucceeded') {
    const [order, ...others] = orders;
    return (
      order?.status === 'CONFIRMED' &&
      others.length === 0 &&
      authorization?.status === 'AUTHORIZED' &&
      authorization.amountCents === order.totalCents &&
      reservation === 'CONFIRMED'
    );
  }
  return orders.every((o) => o.status === 'CANCELLED') && authorization?.status !== 'AUTHORIZED' && (reservation === undefined || reservation === 'RELEASED');
}

/** Per SKU: its levels and the units held by reservations that are not released. */
export async function stockLedger(participants: Participants): Promise<{ sku: string; available: number; reserved: number; held: number }[]> {
  const db = new pg.Client({ connectionString: participants.inventoryDatabaseUrl, options: '-c search_path=inventory' });
  await db.connect();
  try {
    const { rows } = await db.query<{ sku: string; available: number; reserved: number; held: number }>(
      `SELECT p.sku, p.available, p.reserved,
              COALESCE((SELECT SUM((i->>'quantity')::int) FROM reservations r CROSS JOIN LATERAL jsonb_array_elements(r.items) i
                        WHERE r.status <> 'RELEASED' AND i->>'sku' = p.sku), 0)::int AS held
       FROM products p ORDER BY p.sku`,
    );
    return rows;
  } finally {
    await db.end();
  }
}

/** The events of a checkout once each, as first published: a redelivered event is the same eventId in another entry. */
export const distinct = (events: readonly AnyEvent[]): AnyEvent[] => {
  const seen = new Set<string>();
  return events.filter((e) => !seen.has(e.eventId) && seen.add(e.eventId));
};

/** The distinct terminal events of a checkout: exactly one when it ended once. */
export const terminalsAmong = (events: readonly AnyEvent[]): AnyEvent[] => distinct(events).filter(isTerminal);
