import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { type Order, type PricedLineItem, RuleViolationError } from '@app/contracts';
import { type PreparedStatement, runPrepared } from '@app/database';
import { checkoutCancelled, overLimit } from '../order/order.errors.js';
import { type OrderRow, toOrder } from '../order/order.mapper.js';

const PLACE_ORDER: PreparedStatement = { name: 'place_order', text: 'SELECT place_order($1, $2, $3, $4, $5) AS outcome' };

interface Refusal {
  code: string;
  message: string;
  details: Record<string, unknown>;
}

type PlaceOutcome = { order: OrderRow } | { refusal: Refusal } | { cancelled: true };

export interface PlaceOrder {
  checkoutId: string;
  clientId: string;
  items: PricedLineItem[];
}

/**
 * Opens the PENDING order of a checkout, or refuses it over the limit, in one call of `place_order`
 * (migration CreateOrderFunctions), which records this outcome only if the checkout has none yet and
 * answers the first one. So it is idempotent by checkoutId, even for concurrent repeats (queued on the
 * checkout's advisory lock): a repeat returns the first order as it is now, or the first refusal again
 * (a refused checkout stays refused even if the limit is raised). A checkout cancelled before its
 * order existed is refused (409).
 */
@Injectable()
export class PlaceOrderHandler {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ checkoutId, clientId, items }: PlaceOrder): Promise<Order> {
    const totalCents = items.reduce((sum, i) => sum + i.quantity * i.unitPriceCents, 0);
    const refusal = totalCents > this.config.ORDER_MAX_TOTAL_CENTS ? overLimit(totalCents, this.config.ORDER_MAX_TOTAL_CENTS) : undefined;
    const lines = items.map(({ sku, quantity, unitPriceCents }) => ({ sku, quantity, unitPriceCents }));
    const [row] = await runPrepared<{ outcome: PlaceOutcome }>(this.db, PLACE_ORDER, [
      checkoutId,
      clientId,
      JSON.stringify(lines),
      totalCents,
      refusal === undefined ? null : JSON.stringify({ code: refusal.code, message: refusal.message, details: refusal.details ?? {} }),
    ]);
    const outcome = row!.outcome;
    if ('order' in outcome) return toOrder(outcome.order);
    if ('refusal' in outcome) throw new RuleViolationError(outcome.refusal.code, outcome.refusal.message, outcome.refusal.details);
    throw checkoutCancelled(checkoutId);
  }
}
