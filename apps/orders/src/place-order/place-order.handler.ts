import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { DomainError, type Order, type PricedLineItem, RuleViolationError } from '@app/contracts';
import { rowsOf } from '@app/database';
import { lockCheckout } from '../order/checkout.lock.js';
import { checkoutCancelled, overLimit } from '../order/order.errors.js';
import { type OrderRow, toOrder } from '../order/order.mapper.js';

interface RefusalRow {
  code: string;
  message: string;
  details: Record<string, unknown>;
}

export interface PlaceOrder {
  checkoutId: string;
  clientId: string;
  items: PricedLineItem[];
}

/**
 * Opens the PENDING order of a checkout. Idempotent by checkoutId: a repeat returns the first order
 * as it is now, or the first refusal again (a refused checkout stays refused even if the limit is
 * raised). A checkout cancelled before its order existed is refused (409).
 */
@Injectable()
export class PlaceOrderHandler {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ checkoutId, clientId, items }: PlaceOrder): Promise<Order> {
    const outcome = await this.db.transaction(async (tx): Promise<Order | DomainError> => {
      // Repeats of one checkout queue here behind the first and then read what it decided.
      await lockCheckout(tx, checkoutId);
      const previous = await this.previousOutcome(tx, checkoutId);
      if (previous !== undefined) return previous;
      const totalCents = items.reduce((sum, i) => sum + i.quantity * i.unitPriceCents, 0);
      if (totalCents > this.config.ORDER_MAX_TOTAL_CENTS) {
        const refusal = overLimit(totalCents, this.config.ORDER_MAX_TOTAL_CENTS);
        await tx.query('INSERT INTO order_refusals (checkout_id, code, message, details) VALUES ($1, $2, $3, $4)', [
          checkoutId,
          refusal.code,
          refusal.message,
          JSON.stringify(refusal.details ?? {}),
        ]);
        return refusal;
      }
      const lines = items.map(({ sku, quantity, unitPriceCents }) => ({ sku, quantity, unitPriceCents }));
      const [row] = await rowsOf<OrderRow>(
        tx,
        `INSERT INTO orders (checkout_id, client_id, status, items, total_cents) VALUES ($1, $2, 'PENDING', $3, $4) RETURNING *`,
        [checkoutId, clientId, JSON.stringify(lines), totalCents],
      );
      return toOrder(row!);
    });
    if (outcome instanceof DomainError) throw outcome;
    return outcome;
  }

  private async previousOutcome(tx: EntityManager, checkoutId: string): Promise<Order | DomainError | undefined> {
    const [existing] = await rowsOf<OrderRow>(tx, 'SELECT * FROM orders WHERE checkout_id = $1', [checkoutId]);
    if (existing !== undefined) return toOrder(existing);
    // The refusal was the first answer, so it wins over a cancellation that came after it.
    const [refusal] = await rowsOf<RefusalRow>(tx, 'SELECT code, message, details FROM order_refusals WHERE checkout_id = $1', [checkoutId]);
    if (refusal !== undefined) return new RuleViolationError(refusal.code, refusal.message, refusal.details);
    const [tombstone] = await rowsOf(tx, 'SELECT 1 FROM cancelled_checkouts WHERE checkout_id = $1', [checkoutId]);
    return tombstone === undefined ? undefined : checkoutCancelled(checkoutId);
  }
}
