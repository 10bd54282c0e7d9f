import { type DynamicModule, Module } from '@nestjs/common';
import { CheckoutStepsModule, type ParticipantOverrides } from '@app/checkout-steps';
import { type AppConfig, ConfigModule } from '@app/config';
import { STREAMS } from '@app/contracts';
import { type DatabaseOptions, databaseModule } from '@app/database';
import { HTTP_APP_PROVIDERS, HealthModule, MetricsModule } from '@app/http-app';
import { BusModule } from '@app/bus';
import { DEADLINE_SETTINGS, type DeadlineSettings, deadlineSettingsOf } from './checkout-deadline.settings.js';
import { CompensateCheckoutController } from './compensate-checkout/compensate-checkout.controller.js';
import { CompensateCheckoutHandler } from './compensate-checkout/compensate-checkout.handler.js';
import { CompensationClaimsRepository } from './compensate-checkout/compensation-claims.repository.js';
import { StuckCheckoutRepository } from './detect-stuck/stuck-checkout.repository.js';
import { StuckCheckoutScanner } from './detect-stuck/stuck-checkout.scanner.js';
import { StuckCheckoutsController } from './detect-stuck/stuck-checkouts.controller.js';
import { CreateCheckoutDeadline1733500000000 } from './migrations/1733500000000-create-checkout-deadline.js';
import { NotifyDeadlineOutbox1765000000002 } from './migrations/1765000000002-notify-deadline-outbox.js';
import { DeadlineOutboxRelay, PRODUCER } from './publish-events/deadline-outbox.relay.js';
import { WatchCheckoutsHandler } from './watch-checkouts/watch-checkouts.handler.js';
import { WatchedCheckoutsRepository } from './watch-checkouts/watched-checkouts.repository.js';

/**
 * The worker's name, consumer group and transport settings: it reads the checkout stream only, lets
 * reads gather for 20 ms (a deadline of a minute does not need fresher news) and hands every entry
 * in flight over at once, its writes folding each batch in stream order.
 */
export const CHECKOUT_DEADLINE_WORKER = {
  name: PRODUCER,
  group: 'checkout-deadline',
  transport: { streams: [STREAMS.checkout], readPauseMs: 20, ordering: 'none' },
} as const;

export const CHECKOUT_DEADLINE_DATABASE: DatabaseOptions = {
  url: (config: AppConfig) => config.CHECKOUT_DEADLINE_DATABASE_URL,
  schema: 'checkout_deadline',
  entities: [],
  migrations: [CreateCheckoutDeadline1733500000000, NotifyDeadlineOutbox1765000000002],
};

/** Tests tune timings and participant clients; production takes every default from the configuration. */
export interface DeadlineOverrides {
  settings?: Partial<DeadlineSettings>;
  participants?: ParticipantOverrides;
}

/**
 * The deadline of the choreography: watches every choreographed checkout from its events, reports
 * those that stop before a terminal event, and compensates them (`GET /checkout/stuck`,
 * `POST /checkout/:checkoutId/compensate`, which the checkout app forwards here).
 */
@Module({})
export class CheckoutDeadlineWorkerModule {
  static register(config: AppConfig, overrides: DeadlineOverrides = {}): DynamicModule {
    return {
      module: CheckoutDeadlineWorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        MetricsModule.forRoot(PRODUCER),
        databaseModule(CHECKOUT_DEADLINE_DATABASE),
        HealthModule.forRoot({ postgres: true }),
        CheckoutStepsModule.forRoot(overrides.participants),
        BusModule.forRoot({ producer: PRODUCER }),
      ],
      controllers: [WatchCheckoutsHandler, StuckCheckoutsController, CompensateCheckoutController],
      providers: [
        ...HTTP_APP_PROVIDERS,
        { provide: DEADLINE_SETTINGS, useValue: deadlineSettingsOf(config, overrides.settings) },
        WatchedCheckoutsRepository,
        DeadlineOutboxRelay,
        CompensationClaimsRepository,
        CompensateCheckoutHandler,
        StuckCheckoutRepository,
        StuckCheckoutScanner,
      ],
    };
  }
}
