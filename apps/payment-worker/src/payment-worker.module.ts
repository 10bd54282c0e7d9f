import { type DynamicModule, Module } from '@nestjs/common';
import { SAGA_WORKERS, sagaWorkerModule } from '@app/choreography';
import type { AppConfig } from '@app/config';
import { AuthorizePaymentHandler } from './authorize-payment/authorize-payment.handler.js';

/** The payment worker of the choreographed checkout: OrderCreated to PaymentAuthorized, or to PaymentFailed. */
@Module({})
export class PaymentWorkerModule {
  static register(config: AppConfig): DynamicModule {
    return sagaWorkerModule(PaymentWorkerModule, SAGA_WORKERS.payment, config, AuthorizePaymentHandler);
  }
}
