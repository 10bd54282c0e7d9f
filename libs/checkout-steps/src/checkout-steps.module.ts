import { type DynamicModule, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { InventoryClient } from './inventory.client.js';
import { OrdersClient } from './orders.client.js';
import { type ParticipantClientOptions, participantOptionsOf } from './participant-client.options.js';
import type { ParticipantName } from './participant.errors.js';
import { PaymentsClient } from './payments.client.js';

/** Per-participant adjustments on top of the configuration (tests tune breakers and backoffs). */
export type ParticipantOverrides = Partial<Record<ParticipantName, Partial<ParticipantClientOptions>>>;

/**
 * Provides {@link InventoryClient}, {@link OrdersClient} and {@link PaymentsClient} from
 * `APP_CONFIG` (URLs, `INTERNAL_API_KEY`, `PARTICIPANT_TIMEOUT_MS`, `PARTICIPANT_RETRIES`). Each
 * client closes its connection pool when the app shuts down.
 */
@Module({})
export class CheckoutStepsModule {
  static forRoot(overrides: ParticipantOverrides = {}): DynamicModule {
    const clients = [
      { provide: InventoryClient, service: 'inventory' as const, create: (options: ParticipantClientOptions) => new InventoryClient(options) },
      { provide: OrdersClient, service: 'orders' as const, create: (options: ParticipantClientOptions) => new OrdersClient(options) },
      { provide: PaymentsClient, service: 'payments' as const, create: (options: ParticipantClientOptions) => new PaymentsClient(options) },
    ];
    return {
      module: CheckoutStepsModule,
      providers: clients.map(({ provide, service, create }) => ({
        provide,
        inject: [APP_CONFIG],
        useFactory: (config: AppConfig) => create(participantOptionsOf(config, service, overrides[service])),
      })),
      exports: clients.map((c) => c.provide),
    };
  }
}
