import { type DynamicModule, Module } from '@nestjs/common';
import { type AppConfig, ConfigModule } from '@app/config';
import { databaseModule } from '@app/database';
import { HTTP_APP_PROVIDERS, HealthModule, MetricsModule } from '@app/http-app';
import { CancelOrderController } from './cancel-order/cancel-order.controller.js';
import { CancelOrderHandler } from './cancel-order/cancel-order.handler.js';
import { ConfirmOrderController } from './confirm-order/confirm-order.controller.js';
import { ConfirmOrderHandler } from './confirm-order/confirm-order.handler.js';
import { CreateOrders1732360000000 } from './migrations/1732360000000-create-orders.js';
import { CreateOrderFunctions1796409601000 } from './migrations/1796409601000-create-order-functions.js';
import { PlaceOrderController } from './place-order/place-order.controller.js';
import { PlaceOrderHandler } from './place-order/place-order.handler.js';
import { OrderQueriesController } from './query-orders/order-queries.controller.js';

export const ORDERS_DATABASE = {
  url: (config: AppConfig) => config.ORDERS_DATABASE_URL,
  schema: 'orders',
  // Raw SQL and one row mapper throughout; no entity is needed.
  entities: [],
  migrations: [CreateOrders1732360000000, CreateOrderFunctions1796409601000],
};

/** Orders, one per checkout: PENDING, then CONFIRMED or CANCELLED. */
@Module({})
export class OrdersModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: OrdersModule,
      imports: [ConfigModule.forRoot(config), MetricsModule.forRoot('orders'), databaseModule(ORDERS_DATABASE), HealthModule.forRoot({ postgres: true })],
      controllers: [OrderQueriesController, PlaceOrderController, ConfirmOrderController, CancelOrderController],
      providers: [...HTTP_APP_PROVIDERS, PlaceOrderHandler, ConfirmOrderHandler, CancelOrderHandler],
    };
  }
}
