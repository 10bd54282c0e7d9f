import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Reservation } from '@app/contracts';
import { type PreparedStatement, runPrepared } from '@app/database';
import { type ReservationRow, toReservation } from '../stock/reservation.mapper.js';

const RELEASE_RESERVATION: PreparedStatement = { name: 'release_reservation', text: 'SELECT * FROM release_reservation($1)' };

/**
 * Puts a reservation's stock back (compensation), in one call of `release_reservation` (migration
 * CreateStockFunctions). Idempotent: releasing twice changes nothing. A release that arrives before
 * the reservation leaves an empty RELEASED row, under the reserve's advisory lock, so the late
 * reserve is refused instead of holding stock for a checkout that was already compensated. A
 * confirmed reservation (a finished sale, force-compensated) is released too: its units return to stock.
 */
@Injectable()
export class ReleaseReservationHandler {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute(checkoutId: string): Promise<Reservation> {
    const [row] = await runPrepared<ReservationRow>(this.db, RELEASE_RESERVATION, [checkoutId]);
    return toReservation(row!);
  }
}
