import { type DynamicModule, Module } from '@nestjs/common';
import { SAGA_WORKERS, sagaWorkerModule } from '@app/choreography';
import type { AppConfig } from '@app/config';
import { CreateOrderHandler } from './create-order/create-order.handler.js';

/** The order-creation worker of the choreographed checkout: StockReserved to OrderCreated, or to OrderCreationFailed. */
@Module({})
export class OrderCreationWorkerModule {
  static register(config: AppConfig): DynamicModule {
    return sagaWorkerModule(OrderCreationWorkerModule, SAGA_WORKERS.orderCreation, config, CreateOrderHandler);
  }
}
