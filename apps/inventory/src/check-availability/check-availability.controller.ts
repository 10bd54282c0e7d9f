import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type AvailabilityReport, LineItemsDto, mergeLineItems } from '@app/contracts';
import { FaultInjectionGuard } from '@app/http-app';
import { type PreparedStatement, runPrepared } from '@app/database';

/** Run on every checkout, so prepared once per connection. */
const PRODUCT_LEVELS: PreparedStatement = { name: 'product_levels', text: 'SELECT sku, price_cents, available FROM products WHERE sku = ANY($1)' };

/**
 * Step 1 of a checkout: which SKUs are unknown, which are short, and the current prices. It only
 * reads; the answer can be stale by the time of the reservation, which decides for real.
 */
@Controller('inventory/availability')
@UseGuards(FaultInjectionGuard)
export class CheckAvailabilityController {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  @Post()
  @HttpCode(200)
  async check(@Body() body: LineItemsDto): Promise<AvailabilityReport> {
    const items = mergeLineItems(body.items);
    const rows = await runPrepared<{ sku: string; price_cents: number; available: number }>(this.db, PRODUCT_LEVELS, [items.map((i) => i.sku)]);
    const bySku = new Map(rows.map((r) => [r.sku, r]));
    const missing = items.filter((i) => !bySku.has(i.sku)).map((i) => i.sku);
    const shortages = items
      .filter((i) => (bySku.get(i.sku)?.available ?? i.quantity) < i.quantity)
      .map((i) => ({ sku: i.sku, requested: i.quantity, available: bySku.get(i.sku)?.available ?? 0 }));
    const priced = items.filter((i) => bySku.has(i.sku)).map((i) => ({ ...i, unitPriceCents: bySku.get(i.sku)!.price_cents }));
    return {
      available: missing.length === 0 && shortages.length === 0,
      missing,
      shortages,
      items: priced,
      totalCents: priced.reduce((sum, i) => sum + i.quantity * i.unitPriceCents, 0),
    };
  }
}
