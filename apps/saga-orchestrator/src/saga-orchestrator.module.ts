import { type DynamicModule, Module } from '@nestjs/common';
import { CheckoutStepsModule, type ParticipantOverrides } from '@app/checkout-steps';
import { type AppConfig, APP_CONFIG, ConfigModule } from '@app/config';
import { PaymentTokenSealer } from '@app/contracts';
import { databaseModule } from '@app/database';
import { HTTP_APP_PROVIDERS, HealthModule, MetricsModule } from '@app/http-app';
import { BusModule } from '@app/bus';
import { SagaMachineController } from './describe-machine/saga-machine.controller.js';
import { CompensateSagaController } from './compensate-saga/compensate-saga.controller.js';
import { CompensateSagaHandler } from './compensate-saga/compensate-saga.handler.js';
import { CreateSagas1732380000000 } from './migrations/1732380000000-create-sagas.js';
import { NotifySagaOutbox1765000000000 } from './migrations/1765000000000-notify-saga-outbox.js';
import { AddSagaTraceContext1797000003000 } from './migrations/1797000003000-add-saga-trace-context.js';
import { IndexUnfinishedSagasByState1797000004000 } from './migrations/1797000004000-index-unfinished-sagas-by-state.js';
import { SagaOutboxRelay } from './publish-transitions/saga-outbox.relay.js';
import { PRODUCER } from './publish-transitions/saga-transition.events.js';
import { SagaQueriesController } from './query-sagas/saga-queries.controller.js';
import { ParkedSagaRetryScanner } from './recover-sagas/parked-saga-retry.scanner.js';
import { SagaRecoveryScanner } from './recover-sagas/saga-recovery.scanner.js';
import { RunCheckoutController } from './run-checkout/run-checkout.controller.js';
import { RunCheckoutHandler } from './run-checkout/run-checkout.handler.js';
import { SAGA_SETTINGS, type SagaSettings, sagaSettingsOf } from './saga-orchestrator.settings.js';
import { SagaInstancesGauge } from './saga/saga-instances.gauge.js';
import { SagaStepExecutor } from './saga/saga-step.executor.js';
import { SagaRepository } from './saga/saga.repository.js';
import { SagaRunner } from './saga/saga.runner.js';

export const SAGA_DATABASE = {
  url: (config: AppConfig) => config.SAGA_DATABASE_URL,
  schema: 'saga',
  // Raw SQL and one row mapper throughout; no entity is needed.
  entities: [],
  migrations: [CreateSagas1732380000000, NotifySagaOutbox1765000000000, AddSagaTraceContext1797000003000, IndexUnfinishedSagasByState1797000004000],
};

/** Tests tune timings and participant clients; production takes every default from the configuration. */
export interface SagaOrchestratorOverrides {
  settings?: Partial<SagaSettings>;
  participants?: ParticipantOverrides;
}

/** The orchestrated checkout saga: the EtatSaga machine over the inventory, orders and payments services. */
@Module({})
export class SagaOrchestratorModule {
  static register(config: AppConfig, overrides: SagaOrchestratorOverrides = {}): DynamicModule {
    return {
      module: SagaOrchestratorModule,
      imports: [
        ConfigModule.forRoot(config),
        MetricsModule.forRoot(PRODUCER),
        databaseModule(SAGA_DATABASE),
        HealthModule.forRoot({ postgres: true, callees: ['inventory', 'orders', 'payments'] }),
        CheckoutStepsModule.forRoot(overrides.participants),
        BusModule.forRoot({ producer: PRODUCER }),
      ],
      controllers: [RunCheckoutController, SagaQueriesController, CompensateSagaController, SagaMachineController],
      providers: [
        ...HTTP_APP_PROVIDERS,
        { provide: SAGA_SETTINGS, useValue: sagaSettingsOf(config, overrides.settings) },
        { provide: PaymentTokenSealer, inject: [APP_CONFIG], useFactory: (c: AppConfig) => new PaymentTokenSealer(c.PAYMENT_TOKEN_PUBLIC_KEY) },
        SagaRepository,
        SagaStepExecutor,
        SagaRunner,
        SagaOutboxRelay,
        SagaRecoveryScanner,
        ParkedSagaRetryScanner,
        SagaInstancesGauge,
        RunCheckoutHandler,
        CompensateSagaHandler,
      ],
    };
  }
}
