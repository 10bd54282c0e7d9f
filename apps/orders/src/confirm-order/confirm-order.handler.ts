import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Order } from '@app/contracts';
import { rowsOf } from '@app/database';
import { orderCancelled, orderNotFound } from '../order/order.errors.js';
import { type OrderRow, toOrder } from '../order/order.mapper.js';

/** The last step of a checkout: PENDING becomes CONFIRMED. Idempotent; a cancelled order stays cancelled (409). */
@Injectable()
export class ConfirmOrderHandler {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  execute(orderId: string): Promise<Order> {
    return this.db.transaction(async (tx) => {
      const [row] = await rowsOf<OrderRow>(tx, 'SELECT * FROM orders WHERE order_id = $1 FOR UPDATE', [orderId]);
      if (row === undefined) throw orderNotFound(orderId);
      if (row.status === 'CONFIRMED') return toOrder(row);
      if (row.status === 'CANCELLED') throw orderCancelled(orderId);
      const [confirmed] = await rowsOf<OrderRow>(tx, `UPDATE orders SET status = 'CONFIRMED', updated_at = now() WHERE order_id = $1 RETURNING *`, [orderId]);
      return toOrder(confirmed!);
    });
  }
}
