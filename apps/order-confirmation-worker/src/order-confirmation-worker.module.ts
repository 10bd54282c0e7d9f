import { type DynamicModule, Module } from '@nestjs/common';
import { SAGA_WORKERS, sagaWorkerModule } from '@app/choreography';
import type { AppConfig } from '@app/config';
import { ConfirmOrderHandler } from './confirm-order/confirm-order.handler.js';

/** The order-confirmation worker of the choreographed checkout: PaymentAuthorized to OrderConfirmed and CheckoutSucceeded. */
@Module({})
export class OrderConfirmationWorkerModule {
  static register(config: AppConfig): DynamicModule {
    return sagaWorkerModule(OrderConfirmationWorkerModule, SAGA_WORKERS.orderConfirmation, config, ConfirmOrderHandler);
  }
}
