import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ConflictError, ErrorCode, type Reservation } from '@app/contracts';
import { type PreparedStatement, runPrepared } from '@app/database';
import { type ReservationRow, toReservation } from '../stock/reservation.mapper.js';
import { reservationNotFound } from '../stock/stock.errors.js';

const CONFIRM_RESERVATION: PreparedStatement = { name: 'confirm_reservation', text: 'SELECT * FROM confirm_reservation($1)' };

/**
 * Turns a reservation into a sale: its units leave `reserved` for good. One call of
 * `confirm_reservation` (migration CreateStockFunctions), which moves a RESERVED reservation's units
 * under the reservation's row lock and answers any other as it is: idempotent, and a released
 * reservation cannot be confirmed (409).
 */
@Injectable()
export class ConfirmReservationHandler {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute(checkoutId: string): Promise<Reservation> {
    const [row] = await runPrepared<ReservationRow>(this.db, CONFIRM_RESERVATION, [checkoutId]);
    if (row === undefined) throw reservationNotFound(checkoutId);
    if (row.status === 'RELEASED') throw new ConflictError(ErrorCode.ReservationReleased, `Reservation of checkout ${checkoutId} was released`);
    return toReservation(row);
  }
}
