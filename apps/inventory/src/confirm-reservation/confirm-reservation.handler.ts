import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ConflictError, ErrorCode, type Reservation } from '@app/contracts';
import { type ReservationRow, toReservation } from '../stock/reservation.mapper.js';
import { reservationNotFound } from '../stock/stock.errors.js';
import { rowsOf } from '@app/database';

/**
 * Turns a reservation into a sale: its units leave `reserved` for good. Idempotent; a released
 * reservation cannot be confirmed (409).
 */
@Injectable()
export class ConfirmReservationHandler {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  execute(checkoutId: string): Promise<Reservation> {
    return this.db.transaction(async (tx) => {
      const [row] = await rowsOf<ReservationRow>(tx, 'SELECT * FROM reservations WHERE checkout_id = $1 FOR UPDATE', [checkoutId]);
      if (row === undefined) throw reservationNotFound(checkoutId);
      if (row.status === 'CONFIRMED') return toReservation(row);
      if (row.status === 'RELEASED') throw new ConflictError(ErrorCode.ReservationReleased, `Reservation of checkout ${checkoutId} was released`);
      for (const item of [...row.items].sort((a, b) => (a.sku < b.sku ? -1 : 1))) {
        await tx.query('UPDATE products SET reserved = reserved - $2 WHERE sku = $1', [item.sku, item.quantity]);
      }
      const [confirmed] = await rowsOf<ReservationRow>(tx, `UPDATE reservations SET status = 'CONFIRMED', updated_at = now() WHERE checkout_id = $1 RETURNING *`, [checkoutId]);
      return toReservation(confirmed!);
    });
  }
}
