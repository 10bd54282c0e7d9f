import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Reservation } from '@app/contracts';
import { type ReservationRow, toReservation } from '../stock/reservation.mapper.js';
import { rowsOf } from '@app/database';

/**
 * Puts a reservation's stock back (compensation). Idempotent: releasing twice changes nothing. A
 * release that arrives before the reservation leaves an empty RELEASED row, so the late reserve is
 * refused instead of holding stock for a checkout that was already compensated. A confirmed
 * reservation (a finished sale, force-compensated) is released too: its units return to stock.
 */
@Injectable()
export class ReleaseReservationHandler {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  execute(checkoutId: string): Promise<Reservation> {
    return this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [checkoutId]);
      const [row] = await rowsOf<ReservationRow>(tx, 'SELECT * FROM reservations WHERE checkout_id = $1 FOR UPDATE', [checkoutId]);
      if (row === undefined) {
        const [tombstone] = await rowsOf<ReservationRow>(tx, `INSERT INTO reservations (checkout_id, status, items) VALUES ($1, 'RELEASED', '[]') RETURNING *`, [checkoutId]);
        return toReservation(tombstone!);
      }
      if (row.status === 'RELEASED') return toReservation(row);
      const heldAsReserved = row.status === 'RESERVED' ? 1 : 0;
      for (const item of [...row.items].sort((a, b) => (a.sku < b.sku ? -1 : 1))) {
        await tx.query('UPDATE products SET available = available + $2, reserved = reserved - $2 * $3 WHERE sku = $1', [item.sku, item.quantity, heldAsReserved]);
      }
      const [released] = await rowsOf<ReservationRow>(tx, `UPDATE reservations SET status = 'RELEASED', updated_at = now() WHERE checkout_id = $1 RETURNING *`, [checkoutId]);
      return toReservation(released!);
    });
  }
}
