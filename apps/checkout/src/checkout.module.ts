import { type DynamicModule, Module } from '@nestjs/common';
import { type AppConfig, APP_CONFIG, ConfigModule } from '@app/config';
import { PaymentTokenSealer, STREAMS } from '@app/contracts';
import { databaseModule } from '@app/database';
import { HTTP_APP_PROVIDERS, HealthModule, MetricsModule } from '@app/http-app';
import { BusModule } from '@app/bus';
import { CartRepository } from './cart/cart.repository.js';
import { FailedCartCheckouts } from './cart/failed-cart-checkout.reader.js';
import { CheckoutCartController } from './checkout-cart/checkout-cart.controller.js';
import { CheckoutCartHandler } from './checkout-cart/checkout-cart.handler.js';
import { SagaOrchestratorClient } from './checkout-cart/saga-orchestrator.client.js';
import { CheckoutRepository } from './checkout/checkout.repository.js';
import { CHECKOUT_SETTINGS, type CheckoutSettings, checkoutSettingsOf } from './checkout.settings.js';
import { CompensateCheckoutController } from './deadline-watch/compensate-checkout.controller.js';
import { DeadlineWorkerClient } from './deadline-watch/deadline-worker.client.js';
import { StuckCheckoutsController } from './deadline-watch/stuck-checkouts.controller.js';
import { CartController } from './manage-cart/cart.controller.js';
import { ManageCartHandler } from './manage-cart/manage-cart.handler.js';
import { CreateCheckout1732390000000 } from './migrations/1732390000000-create-checkout.js';
import { OwnCheckoutStatus1733500000001 } from './migrations/1733500000001-own-checkout-status.js';
import { NotifyCheckoutOutbox1765000000000 } from './migrations/1765000000000-notify-checkout-outbox.js';
import { AddCartCheckoutDigest1796500001000 } from './migrations/1796500001000-add-cart-checkout-digest.js';
import { CheckoutOutboxRelay } from './publish-events/checkout-outbox.relay.js';
import { PRODUCER } from './publish-events/checkout.events.js';
import { CheckoutStatusController } from './query-status/checkout-status.controller.js';
import { CheckoutViewRepository } from './query-status/checkout-view.repository.js';
import { ProjectStatusHandler } from './query-status/project-status.handler.js';
import { StartCheckoutController } from './start-checkout/start-checkout.controller.js';
import { StartCheckoutHandler } from './start-checkout/start-checkout.handler.js';

export const CHECKOUT_DATABASE = {
  url: (config: AppConfig) => config.CHECKOUT_DATABASE_URL,
  schema: 'checkout',
  // Raw SQL and row mappers throughout; no entity is needed.
  entities: [],
  migrations: [CreateCheckout1732390000000, OwnCheckoutStatus1733500000001, NotifyCheckoutOutbox1765000000000, AddCartCheckoutDigest1796500001000],
};

/**
 * The app's consumer group: it folds the checkout stream into its own `checkout_view` (the read
 * path of `GET /checkout/:checkoutId`), handing every entry in flight over at once. The saga stream
 * is not read: an orchestrated checkout reaches the checkout stream through its outcome event.
 */
export const CHECKOUT_CONSUMER = {
  name: PRODUCER,
  group: 'checkout',
  transport: { streams: [STREAMS.checkout], readPauseMs: 20, ordering: 'none' },
} as const;

/** Tests tune timings; production takes every default from the configuration. */
export interface CheckoutOverrides {
  settings?: Partial<CheckoutSettings>;
}

/**
 * The entry point of the choreographed checkout and its status, and the event-sourced carts
 * (checked out in either style). Stuck checkouts are the checkout-deadline worker's: this app
 * forwards their two routes to it.
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
        HealthModule.forRoot({ postgres: true, callees: ['saga-orchestrator'] }),
        BusModule.forRoot({ producer: PRODUCER }),
      ],
      controllers: [
        StartCheckoutController,
        StuckCheckoutsController,
        CheckoutStatusController,
        CompensateCheckoutController,
        CartController,
        CheckoutCartController,
        ProjectStatusHandler,
      ],
      providers: [
        ...HTTP_APP_PROVIDERS,
        { provide: CHECKOUT_SETTINGS, useValue: checkoutSettingsOf(config, overrides.settings) },
        { provide: PaymentTokenSealer, inject: [APP_CONFIG], useFactory: (c: AppConfig) => new PaymentTokenSealer(c.PAYMENT_TOKEN_PUBLIC_KEY) },
        { provide: SagaOrchestratorClient, inject: [APP_CONFIG], useFactory: (c: AppConfig) => new SagaOrchestratorClient(c) },
        CheckoutRepository,
        CheckoutViewRepository,
        DeadlineWorkerClient,
        CheckoutOutboxRelay,
        StartCheckoutHandler,
        CartRepository,
        FailedCartCheckouts,
        ManageCartHandler,
        CheckoutCartHandler,
      ],
    };
  }
}
