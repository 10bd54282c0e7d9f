import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { ConflictError, DomainError, ErrorCode, type LineItem, type Reservation, type StockShortage, mergeLineItems } from '@app/contracts';
import { insufficientStock, unknownSkus } from '../stock/stock.errors.js';
import { type ReservationRow, isTombstone, toReservation } from '../stock/reservation.mapper.js';
import { rowsOf } from '@app/database';

interface RefusalRow {
  code: string;
  message: string;
  details: Record<string, unknown>;
}

/**
 * Reserves every item of a checkout or none. Idempotent by checkoutId: a repeat returns the first
 * reservation, or the first refusal again (a refused checkout stays refused even if stock arrives).
 * Stock is taken with conditional updates in SKU order, so concurrent reservations neither
 * oversell nor deadlock.
 */
@Injectable()
export class ReserveStockHandler {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute(checkoutId: string, requested: readonly LineItem[]): Promise<Reservation> {
    const items = mergeLineItems(requested);
    const outcome = await this.db.transaction(async (tx): Promise<Reservation | DomainError> => {
      // Repeats of one checkout queue here behind the first and then read what it decided.
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [checkoutId]);
      const previous = await this.previousOutcome(tx, checkoutId);
      if (previous !== undefined) return previous;
      await tx.query('SAVEPOINT take_stock');
      const refusal = await this.takeStock(tx, items);
      if (refusal !== undefined) {
        await tx.query('ROLLBACK TO SAVEPOINT take_stock');
        await tx.query('INSERT INTO reservation_refusals (checkout_id, code, message, details) VALUES ($1, $2, $3, $4)', [
          checkoutId, refusal.code, refusal.message, JSON.stringify(refusal.details ?? {}),
        ]);
        return refusal;
      }
      const [row] = await rowsOf<ReservationRow>(tx, `INSERT INTO reservations (checkout_id, status, items) VALUES ($1, 'RESERVED', $2) RETURNING *`, [
        checkoutId, JSON.stringify(items),
      ]);
      return toReservation(row!);
    });
    if (outcome instanceof DomainError) throw outcome;
    return outcome;
  }

  private async previousOutcome(tx: EntityManager, checkoutId: string): Promise<Reservation | DomainError | undefined> {
    const [existing] = await rowsOf<ReservationRow>(tx, 'SELECT * FROM reservations WHERE checkout_id = $1', [checkoutId]);
    if (existing !== undefined) {
      return isTombstone(existing)
        ? new ConflictError(ErrorCode.ReservationReleased, `Checkout ${checkoutId} was released before it was reserved`)
        : toReservation(existing);
    }
    const [refusal] = await rowsOf<RefusalRow>(tx, 'SELECT code, message, details FROM reservation_refusals WHERE checkout_id = $1', [checkoutId]);
    if (refusal === undefined) return undefined;
    return refusal.code === ErrorCode.UnknownSku
      ? unknownSkus((refusal.details['skus'] as string[] | undefined) ?? [])
      : insufficientStock((refusal.details['shortages'] as StockShortage[] | undefined) ?? []);
  }

  /** Takes the stock of every item; returns why not if any item is unknown or short. */
  private async takeStock(tx: EntityManager, items: LineItem[]): Promise<DomainError | undefined> {
    const skus = items.map((i) => i.sku);
    const known = new Set((await rowsOf<{ sku: string }>(tx, 'SELECT sku FROM products WHERE sku = ANY($1)', [skus])).map((r) => r.sku));
    const missing = skus.filter((sku) => !known.has(sku));
    if (missing.length > 0) return unknownSkus(missing);
    const short: LineItem[] = [];
    for (const item of items) {
      const taken = await rowsOf(tx, 'UPDATE products SET available = available - $2, reserved = reserved + $2 WHERE sku = $1 AND available >= $2 RETURNING sku', [
        item.sku, item.quantity,
      ]);
      if (taken.length === 0) short.push(item);
    }
    if (short.length === 0) return undefined;
    const levels = await rowsOf<{ sku: string; available: number }>(tx, 'SELECT sku, available FROM products WHERE sku = ANY($1)', [short.map((s) => s.sku)]);
    const availableOf = new Map(levels.map((l) => [l.sku, l.available]));
    return insufficientStock(short.map((s) => ({ sku: s.sku, requested: s.quantity, available: availableOf.get(s.sku) ?? 0 })));
  }
}
