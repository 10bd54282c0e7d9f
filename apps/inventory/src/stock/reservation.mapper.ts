import type { LineItem, Reservation, ReservationStatus } from '@app/contracts';

/** A reservations row as PostgreSQL returns it. */
export interface ReservationRow {
  checkout_id: string;
  status: ReservationStatus;
  items: LineItem[];
}

export const toReservation = (row: ReservationRow): Reservation => ({ checkoutId: row.checkout_id, status: row.status, items: row.items });

/** A release that arrived before any reservation leaves an empty RELEASED row, so a late reserve is refused. */
export const isTombstone = (row: ReservationRow): boolean => row.status === 'RELEASED' && row.items.length === 0;
