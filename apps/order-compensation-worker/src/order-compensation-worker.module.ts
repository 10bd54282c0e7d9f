import { type DynamicModule, Module } from '@nestjs/common';
import { SAGA_WORKERS, sagaWorkerModule } from '@app/choreography';
import type { AppConfig } from '@app/config';
import { CancelOrderHandler } from './cancel-order/cancel-order.handler.js';

/** The order-compensation worker of the choreographed checkout: PaymentFailed to OrderCancelled. */
@Module({})
export class OrderCompensationWorkerModule {
  static register(config: AppConfig): DynamicModule {
    return sagaWorkerModule(OrderCompensationWorkerModule, SAGA_WORKERS.orderCompensation, config, CancelOrderHandler);
  }
}
