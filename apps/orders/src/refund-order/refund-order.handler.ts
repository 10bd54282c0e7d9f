import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Order } from '@app/contracts';
import { type PreparedStatement, runPrepared } from '@app/database';
import { orderNotConfirmed, orderNotFound } from '../order/order.errors.js';
import { type OrderRow, toOrder } from '../order/order.mapper.js';

const REFUND_ORDER: PreparedStatement = { name: 'refund_order', text: `SELECT * FROM move_order($1, '{CONFIRMED}', 'REFUNDED')` };

/**
 * CONFIRMED becomes REFUNDED when the shipping app refunds a lost or damaged parcel, in one call of
 * `move_order`. Idempotent; a cancelled order (its checkout compensated since) is answered as it is,
 * since nothing is left to refund; a PENDING one was never confirmed (409).
 */
@Injectable()
export class RefundOrderHandler {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute(orderId: string): Promise<Order> {
    const [row] = await runPrepared<OrderRow>(this.db, REFUND_ORDER, [orderId]);
    if (row === undefined) throw orderNotFound(orderId);
    if (row.status === 'PENDING') throw orderNotConfirmed(orderId);
    return toOrder(row);
  }
}
