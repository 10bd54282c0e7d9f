import { type DynamicModule, Module } from '@nestjs/common';
import { type AppConfig, ConfigModule } from '@app/config';
import { databaseModule } from '@app/database';
import { HTTP_APP_PROVIDERS, HealthModule, MetricsModule } from '@app/http-app';
import { CheckAvailabilityController } from './check-availability/check-availability.controller.js';
import { ConfirmReservationController } from './confirm-reservation/confirm-reservation.controller.js';
import { ConfirmReservationHandler } from './confirm-reservation/confirm-reservation.handler.js';
import { UpsertProductController } from './manage-catalog/upsert-product.controller.js';
import { CreateStock1732350000000 } from './migrations/1732350000000-create-stock.js';
import { CreateStockFunctions1796409600000 } from './migrations/1796409600000-create-stock-functions.js';
import { StockQueriesController } from './query-stock/stock-queries.controller.js';
import { ReleaseReservationController } from './release-reservation/release-reservation.controller.js';
import { ReleaseReservationHandler } from './release-reservation/release-reservation.handler.js';
import { ReserveStockController } from './reserve-stock/reserve-stock.controller.js';
import { ReserveStockHandler } from './reserve-stock/reserve-stock.handler.js';
import { ProductEntity } from './stock/product.entity.js';

export const INVENTORY_DATABASE = {
  url: (config: AppConfig) => config.INVENTORY_DATABASE_URL,
  schema: 'inventory',
  entities: [ProductEntity],
  migrations: [CreateStock1732350000000, CreateStockFunctions1796409600000],
};

/** Products, stock and reservations per checkout. */
@Module({})
export class InventoryModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: InventoryModule,
      imports: [ConfigModule.forRoot(config), MetricsModule.forRoot('inventory'), databaseModule(INVENTORY_DATABASE), HealthModule.forRoot({ postgres: true })],
      controllers: [StockQueriesController, UpsertProductController, CheckAvailabilityController, ReserveStockController, ConfirmReservationController, ReleaseReservationController],
      providers: [...HTTP_APP_PROVIDERS, ReserveStockHandler, ConfirmReservationHandler, ReleaseReservationHandler],
    };
  }
}
