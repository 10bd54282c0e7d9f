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
import { AllowRefundedOrders1797000002000 } from './migrations/1797000002000-allow-refunded-orders.js';
import { PlaceOrderController } from './place-order/place-order.controller.js';
import { PlaceOrderHandler } from './place-order/place-order.handler.js';
import { OrderQueriesController } from './query-orders/order-queries.controller.js';
import { RefundOrderController } from './refund-order/refund-order.controller.js';
import { RefundOrderHandler } from './refund-order/refund-order.handler.js';

export const ORDERS_DATABASE = {
  url: (config: AppConfig) => config.ORDERS_DATABASE_URL,
  schema: 'orders',
  // Raw SQL and one row mapper throughout; no entity is needed.
  entities: [],
  migrations: [CreateOrders1732360000000, CreateOrderFunctions1796409601000, AllowRefundedOrders1797000002000],
};

/** Orders, one per checkout: PENDING, then CONFIRMED or CANCELLED; a confirmed order whose parcel was lost may be REFUNDED. */
@Module({})
export class OrdersModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: OrdersModule,
      imports: [ConfigModule.forRoot(config), MetricsModule.forRoot('orders'), databaseModule(ORDERS_DATABASE), HealthModule.forRoot({ postgres: true })],
      controllers: [OrderQueriesController, PlaceOrderController, ConfirmOrderController, CancelOrderController, RefundOrderController],
      providers: [...HTTP_APP_PROVIDERS, PlaceOrderHandler, ConfirmOrderHandler, CancelOrderHandler, RefundOrderHandler],
    };
  }
}
