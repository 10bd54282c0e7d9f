import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Product } from '@app/contracts';
import { rowsOf } from '@app/database';
import { UpsertProductDto } from './product.dto.js';

/**
 * Creates a product or sets its name, price and available stock. Units held by reservations are
 * untouched: `stock` is what can still be reserved.
 */
@Controller('inventory/products')
export class UpsertProductController {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  @Post()
  @HttpCode(200)
  async upsert(@Body() body: UpsertProductDto): Promise<Product> {
    const [row] = await rowsOf<{ sku: string; name: string; price_cents: number; available: number; reserved: number }>(
      this.db.manager,
      `INSERT INTO products (sku, name, price_cents, available) VALUES ($1, $2, $3, $4)
       ON CONFLICT (sku) DO UPDATE SET name = EXCLUDED.name, price_cents = EXCLUDED.price_cents, available = EXCLUDED.available
       RETURNING *`,
      [body.sku, body.name, body.priceCents, body.stock],
    );
    return { sku: row!.sku, name: row!.name, priceCents: row!.price_cents, available: row!.available, reserved: row!.reserved };
  }
}
