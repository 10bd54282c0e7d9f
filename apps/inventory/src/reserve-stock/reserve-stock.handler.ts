import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ConflictError, ErrorCode, type LineItem, type Reservation, mergeLineItems } from '@app/contracts';
import { type PreparedStatement, runPrepared } from '@app/database';
import { type StockRefusal, refusalOf } from '../stock/stock.errors.js';
import { type ReservationRow, isTombstone, toReservation } from '../stock/reservation.mapper.js';

const RESERVE_STOCK: PreparedStatement = { name: 'reserve_stock', text: 'SELECT reserve_stock($1, $2) AS outcome' };

type ReserveOutcome = { reservation: ReservationRow } | { refusal: StockRefusal };

/**
 * Reserves every item of a checkout or none, in one call of `reserve_stock` (migration
 * CreateStockFunctions), which guarantees: idempotent by checkoutId, a repeat (even a concurrent one,
 * queued on the checkout's advisory lock) returns the first reservation or the first refusal again (a
 * refused checkout stays refused even if stock arrives); a checkout released before it was reserved is
 * refused; stock is taken under row locks taken in SKU order, so concurrent reservations neither
 * oversell nor deadlock.
 */
@Injectable()
export class ReserveStockHandler {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute(checkoutId: string, requested: readonly LineItem[]): Promise<Reservation> {
    const [row] = await runPrepared<{ outcome: ReserveOutcome }>(this.db, RESERVE_STOCK, [checkoutId, JSON.stringify(mergeLineItems(requested))]);
    const outcome = row!.outcome;
    if ('refusal' in outcome) throw refusalOf(outcome.refusal);
    if (isTombstone(outcome.reservation)) {
      throw new ConflictError(ErrorCode.ReservationReleased, `Checkout ${checkoutId} was released before it was reserved`);
    }
    return toReservation(outcome.reservation);
  }
}
