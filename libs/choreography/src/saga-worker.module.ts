import type { DynamicModule, Type } from '@nestjs/common';
import { CheckoutStepsModule } from '@app/checkout-steps';
import { type AppConfig, ConfigModule } from '@app/config';
import { HTTP_APP_PROVIDERS, HealthModule, MetricsModule } from '@app/http-app';
import { BusModule } from '@app/bus';
import type { SagaWorker } from './choreography.reactions.js';

/**
 * The module of a saga worker app: its handler (a controller of `@OnEvent` methods), the participant
 * clients, an `EventBus` writing as the worker, and `/health` and `/metrics`. A saga worker
 * keeps no state of its own (the events carry it), so it has no database to check.
 */
export function sagaWorkerModule(module: Type, worker: SagaWorker, config: AppConfig, handler: Type): DynamicModule {
  return {
    module,
    imports: [
      ConfigModule.forRoot(config),
      MetricsModule.forRoot(worker.name),
      HealthModule.forRoot({ postgres: false, callees: ['inventory', 'orders', 'payments'] }),
      CheckoutStepsModule.forRoot(),
      BusModule.forRoot({ producer: worker.name }),
    ],
    controllers: [handler],
    providers: [...HTTP_APP_PROVIDERS],
  };
}
