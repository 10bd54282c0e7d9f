import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Order } from '@app/contracts';
import { type PreparedStatement, runPrepared } from '@app/database';
import { orderCancelled, orderNotFound } from '../order/order.errors.js';
import { type OrderRow, toOrder } from '../order/order.mapper.js';

const CONFIRM_ORDER: PreparedStatement = { name: 'confirm_order', text: `SELECT * FROM move_order($1, '{PENDING}', 'CONFIRMED')` };

/**
 * The last step of a checkout: PENDING becomes CONFIRMED, in one call of `move_order` (migration
 * CreateOrderFunctions), which answers the order as it is after the move or after the request the
 * move waited for. Idempotent; a cancelled order stays cancelled (409).
 */
@Injectable()
export class ConfirmOrderHandler {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute(orderId: string): Promise<Order> {
    const [row] = await runPrepared<OrderRow>(this.db, CONFIRM_ORDER, [orderId]);
    if (row === undefined) throw orderNotFound(orderId);
    if (row.status === 'CANCELLED') throw orderCancelled(orderId);
    return toOrder(row);
  }
}
