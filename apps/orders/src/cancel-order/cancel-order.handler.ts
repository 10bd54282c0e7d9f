import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Order } from '@app/contracts';
import { type PreparedStatement, runPrepared } from '@app/database';
import { orderConfirmed, orderNotFound } from '../order/order.errors.js';
import { type CancelledCheckout, type OrderRow, toOrder } from '../order/order.mapper.js';

const CANCEL_ORDER: PreparedStatement = { name: 'cancel_order', text: `SELECT * FROM move_order($1, '{PENDING,CONFIRMED}', 'CANCELLED')` };
const CANCEL_CHECKOUT: PreparedStatement = { name: 'cancel_checkout', text: 'SELECT * FROM cancel_checkout($1, $2)' };

/**
 * Cancels an order (compensation), in one call of a function of migration CreateOrderFunctions.
 * Idempotent. A CONFIRMED order is cancelled too, because an operator may force-compensate a finished saga.
 */
@Injectable()
export class CancelOrderHandler {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async byId(orderId: string): Promise<Order> {
    const [row] = await runPrepared<OrderRow>(this.db, CANCEL_ORDER, [orderId]);
    if (row === undefined) throw orderNotFound(orderId);
    return toOrder(row);
  }

  /**
   * Cancels the checkout's order, or, when the compensation overtook a create whose answer was
   * lost, leaves a tombstone so the late create is refused instead of opening a live order. With
   * `unlessConfirmed`, a CONFIRMED order is left as it is and refused (a deadline compensation must
   * not undo a checkout that in fact succeeded). `cancel_checkout` decides under the create's
   * advisory lock: the create either ran before (its order is cancelled) or finds the tombstone.
   * @throws ConflictError `ORDERS.ORDER_CONFIRMED` (only with `unlessConfirmed`).
   */
  async byCheckout(checkoutId: string, { unlessConfirmed = false }: { unlessConfirmed?: boolean } = {}): Promise<Order | CancelledCheckout> {
    const [row] = await runPrepared<OrderRow>(this.db, CANCEL_CHECKOUT, [checkoutId, unlessConfirmed]);
    if (row === undefined) return { checkoutId, status: 'CANCELLED' };
    // Only left CONFIRMED when unlessConfirmed asked for it.
    if (row.status === 'CONFIRMED') throw orderConfirmed(row.order_id, checkoutId);
    return toOrder(row);
  }
}
