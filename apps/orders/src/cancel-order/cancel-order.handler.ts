import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { Order } from '@app/contracts';
import { rowsOf } from '@app/database';
import { lockCheckout } from '../order/checkout.lock.js';
import { orderConfirmed, orderNotFound } from '../order/order.errors.js';
import { type CancelledCheckout, type OrderRow, toOrder } from '../order/order.mapper.js';

/**
 * Cancels an order (compensation). Idempotent. A CONFIRMED order is cancelled too, because an
 * operator may force-compensate a finished saga.
 */
@Injectable()
export class CancelOrderHandler {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  byId(orderId: string): Promise<Order> {
    return this.db.transaction(async (tx) => {
      const [row] = await rowsOf<OrderRow>(tx, 'SELECT * FROM orders WHERE order_id = $1 FOR UPDATE', [orderId]);
      if (row === undefined) throw orderNotFound(orderId);
      return this.cancel(tx, row);
    });
  }

  /**
   * Cancels the checkout's order, or, when the compensation overtook a create whose answer was
   * lost, leaves a tombstone so the late create is refused instead of opening a live order. With
   * `unlessConfirmed`, a CONFIRMED order is left as it is and refused (a deadline compensation must
   * not undo a checkout that in fact succeeded); the decision is taken under the checkout's lock.
   * @throws ConflictError `ORDERS.ORDER_CONFIRMED` (only with `unlessConfirmed`).
   */
  byCheckout(checkoutId: string, { unlessConfirmed = false }: { unlessConfirmed?: boolean } = {}): Promise<Order | CancelledCheckout> {
    return this.db.transaction(async (tx) => {
      // The same lock as the create: the create either ran before (we cancel it) or sees the tombstone.
      await lockCheckout(tx, checkoutId);
      const [row] = await rowsOf<OrderRow>(tx, 'SELECT * FROM orders WHERE checkout_id = $1 FOR UPDATE', [checkoutId]);
      if (row?.status === 'CONFIRMED' && unlessConfirmed) throw orderConfirmed(row.order_id, checkoutId);
      if (row !== undefined) return this.cancel(tx, row);
      await tx.query('INSERT INTO cancelled_checkouts (checkout_id) VALUES ($1) ON CONFLICT (checkout_id) DO NOTHING', [checkoutId]);
      return { checkoutId, status: 'CANCELLED' as const };
    });
  }

  private async cancel(tx: EntityManager, row: OrderRow): Promise<Order> {
    if (row.status === 'CANCELLED') return toOrder(row);
    const [cancelled] = await rowsOf<OrderRow>(tx, `UPDATE orders SET status = 'CANCELLED', updated_at = now() WHERE order_id = $1 RETURNING *`, [
      row.order_id,
    ]);
    return toOrder(cancelled!);
  }
}
