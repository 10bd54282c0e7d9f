import { type DynamicModule, Module } from '@nestjs/common';
import { CheckoutStepsModule, type ParticipantOverrides } from '@app/checkout-steps';
import { type AppConfig, APP_CONFIG, ConfigModule } from '@app/config';
import { databaseModule } from '@app/database';
import { HTTP_APP_PROVIDERS, HealthModule, MetricsModule } from '@app/http-app';
import { RedisStreamsModule } from '@app/redis-streams';
import { CartRepository } from './cart/cart.repository.js';
import { CheckoutCartController } from './checkout-cart/checkout-cart.controller.js';
import { CheckoutCartHandler } from './checkout-cart/checkout-cart.handler.js';
import { SagaOrchestratorClient } from './checkout-cart/saga-orchestrator.client.js';
import { CheckoutRepository } from './checkout/checkout.repository.js';
import { CHECKOUT_SETTINGS, type CheckoutSettings, checkoutSettingsOf } from './checkout.settings.js';
import { CompensateCheckoutController } from './compensate-checkout/compensate-checkout.controller.js';
import { CompensateCheckoutHandler } from './compensate-checkout/compensate-checkout.handler.js';
import { StuckCheckoutRepository } from './detect-stuck/stuck-checkout.repository.js';
import { StuckCheckoutScanner } from './detect-stuck/stuck-checkout.scanner.js';
import { StuckCheckoutsController } from './detect-stuck/stuck-checkouts.controller.js';
import { CartController } from './manage-cart/cart.controller.js';
import { ManageCartHandler } from './manage-cart/manage-cart.handler.js';
import { CreateCheckout1732390000000 } from './migrations/1732390000000-create-checkout.js';
import { NotifyCheckoutOutbox1765000000000 } from './migrations/1765000000000-notify-checkout-outbox.js';
import { CheckoutOutboxRelay } from './publish-events/checkout-outbox.relay.js';
import { PRODUCER } from './publish-events/checkout.events.js';
import { CheckoutStatusController } from './query-status/checkout-status.controller.js';
import { CheckoutViewReader } from './query-status/checkout-view.reader.js';
import { StartCheckoutController } from './start-checkout/start-checkout.controller.js';
import { StartCheckoutHandler } from './start-checkout/start-checkout.handler.js';

export const CHECKOUT_DATABASE = {
  url: (config: AppConfig) => config.CHECKOUT_DATABASE_URL,
  schema: 'checkout',
  // Raw SQL and row mappers throughout; no entity is needed.
  entities: [],
  migrations: [CreateCheckout1732390000000, NotifyCheckoutOutbox1765000000000],
};

/** Tests tune timings and participant clients; production takes every default from the configuration. */
export interface CheckoutOverrides {
  settings?: Partial<CheckoutSettings>;
  participants?: ParticipantOverrides;
}

/**
 * The entry point of the choreographed checkout and its status, the event-sourced carts (checked
 * out in either style), and the deadline watch of the choreography.
 */
@Module({})
export class CheckoutModule {
  static register(config: AppConfig, overrides: CheckoutOverrides = {}): DynamicModule {
    return {
      module: CheckoutModule,
      imports: [
        ConfigModule.forRoot(config),
        MetricsModule.forRoot(PRODUCER),
        databaseModule(CHECKOUT_DATABASE),
        HealthModule.forRoot({ postgres: true }),
        CheckoutStepsModule.forRoot(overrides.participants),
        RedisStreamsModule.forRoot({ producer: PRODUCER }),
      ],
      controllers: [
        StartCheckoutController,
        StuckCheckoutsController,
        CheckoutStatusController,
        CompensateCheckoutController,
        CartController,
        CheckoutCartController,
      ],
      providers: [
        ...HTTP_APP_PROVIDERS,
        { provide: CHECKOUT_SETTINGS, useValue: checkoutSettingsOf(config, overrides.settings) },
        { provide: SagaOrchestratorClient, inject: [APP_CONFIG], useFactory: (c: AppConfig) => new SagaOrchestratorClient(c) },
        CheckoutRepository,
        CheckoutViewReader,
        CheckoutOutboxRelay,
        StartCheckoutHandler,
        CartRepository,
        ManageCartHandler,
        CheckoutCartHandler,
        CompensateCheckoutHandler,
        StuckCheckoutRepository,
        StuckCheckoutScanner,
      ],
    };
  }
}
