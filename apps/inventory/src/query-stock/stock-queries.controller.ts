import { Controller, Get, Param } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CheckoutIdParam, type Product, type Reservation } from '@app/contracts';
import { ProductEntity } from '../stock/product.entity.js';
import { type ReservationRow, toReservation } from '../stock/reservation.mapper.js';
import { reservationNotFound, unknownSkus } from '../stock/stock.errors.js';
import { rowsOf } from '@app/database';
import { SkuParam } from '../manage-catalog/product.dto.js';

const toProduct = (p: ProductEntity): Product => ({ sku: p.sku, name: p.name, priceCents: p.priceCents, available: p.available, reserved: p.reserved });

/** Read side of the inventory: products and reservations as they are now. */
@Controller('inventory')
export class StockQueriesController {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  @Get('products')
  async list(): Promise<Product[]> {
    return (await this.db.getRepository(ProductEntity).find({ order: { sku: 'ASC' } })).map(toProduct);
  }

  @Get('products/:sku')
  async get(@Param() { sku }: SkuParam): Promise<Product> {
    const product = await this.db.getRepository(ProductEntity).findOneBy({ sku });
    if (product === null) throw unknownSkus([sku]);
    return toProduct(product);
  }

  @Get('reservations/:checkoutId')
  async reservation(@Param() { checkoutId }: CheckoutIdParam): Promise<Reservation> {
    const [row] = await rowsOf<ReservationRow>(this.db.manager, 'SELECT * FROM reservations WHERE checkout_id = $1', [checkoutId]);
    if (row === undefined) throw reservationNotFound(checkoutId);
    return toReservation(row);
  }
}
