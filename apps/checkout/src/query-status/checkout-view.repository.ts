import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { rowsOf } from '@app/database';
import type { CheckoutView } from '@app/projections';

/** This app's `checkout_view` (schema `checkout`), kept by {@link ProjectStatusHandler}. */
@Injectable()
export class CheckoutViewRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async viewOf(checkoutId: string): Promise<CheckoutView | undefined> {
    const [row] = await rowsOf<{ view: CheckoutView }>(this.db.manager, 'SELECT view FROM checkout_view WHERE checkout_id = $1', [checkoutId]);
    return row?.view;
  }
}
