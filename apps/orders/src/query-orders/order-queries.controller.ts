import { Controller, Get, Param, Query } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Order } from '@app/contracts';
import { rowsOf } from '@app/database';
import { OrderIdParam } from '../order/order-id.dto.js';
import { orderNotFound } from '../order/order.errors.js';
import { type OrderRow, toOrder } from '../order/order.mapper.js';
import { ListOrdersQuery } from './list-orders.dto.js';

/** Read side of the orders: orders as they are now. Tombstones are not orders and never listed. */
@Controller('orders')
export class OrderQueriesController {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Newest first, at most `limit` (1-100, default 20). */
  @Get()
  async list(@Query() { clientId, checkoutId, limit }: ListOrdersQuery): Promise<Order[]> {
    const rows = await rowsOf<OrderRow>(
      this.db.manager,
      `SELECT * FROM orders WHERE ($1::text IS NULL OR client_id = $1) AND ($2::text IS NULL OR checkout_id = $2)
       ORDER BY created_at DESC, order_id DESC LIMIT $3`,
      [clientId ?? null, checkoutId ?? null, limit],
    );
    return rows.map(toOrder);
  }

  @Get(':id')
  async get(@Param() { id }: OrderIdParam): Promise<Order> {
    const [row] = await rowsOf<OrderRow>(this.db.manager, 'SELECT * FROM orders WHERE order_id = $1', [id]);
    if (row === undefined) throw orderNotFound(id);
    return toOrder(row);
  }
}
