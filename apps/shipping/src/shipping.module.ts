import { type DynamicModule, Module } from '@nestjs/common';
import { CheckoutStepsModule, type ParticipantOverrides } from '@app/checkout-steps';
import { type AppConfig, ConfigModule } from '@app/config';
import { type DatabaseOptions, databaseModule } from '@app/database';
import { ParcelViewCacheModule } from '@app/event-store';
import { HTTP_APP_PROVIDERS, HealthModule, MetricsModule } from '@app/http-app';
import { BusModule } from '@app/bus';
import { CarrierCallbacksController } from './carrier-callbacks/carrier-callbacks.controller.js';
import { MoveParcelHandler } from './carrier-callbacks/move-parcel.handler.js';
import { CarrierSimulator } from './carrier-simulator/carrier.simulator.js';
import { CreateParcels1797000001000 } from './migrations/1797000001000-create-parcels.js';
import { IndexParcelsAwaitingNews1797000004000 } from './migrations/1797000004000-index-parcels-awaiting-news.js';
import { ParcelDeadlineScanner } from './parcel-deadline/parcel-deadline.scanner.js';
import { PRODUCER } from './parcel/parcel.events.js';
import { ParcelRepository } from './parcel/parcel.repository.js';
import { ShippingOutboxRelay } from './publish-events/shipping-outbox.relay.js';
import { ParcelQueriesController } from './query-parcels/parcel-queries.controller.js';
import { ParcelReadModelCloser, parcelReadModelProvider } from './query-parcels/parcel-read-model.source.js';
import { RegisterParcelHandler } from './register-parcel/register-parcel.handler.js';
import { SHIPPING_SETTINGS, type ShippingSettings, shippingSettingsOf } from './shipping.settings.js';

/**
 * The shipping app's name, consumer group and transport settings: it takes `CheckoutSucceeded`
 * (published by both styles; on Redis it reads that type's stream) and lets reads gather for 20 ms
 * (a parcel is not in a hurry).
 */
export const SHIPPING_CONSUMER = { name: PRODUCER, group: 'shipping', transport: { readPauseMs: 20 } } as const;

export const SHIPPING_DATABASE: DatabaseOptions = {
  url: (config: AppConfig) => config.SHIPPING_DATABASE_URL,
  schema: 'shipping',
  entities: [],
  migrations: [CreateParcels1797000001000, IndexParcelsAwaitingNews1797000004000],
};

/** Tests tune timings and participant clients; production takes every default from the configuration. */
export interface ShippingOverrides {
  settings?: Partial<ShippingSettings>;
  participants?: ParticipantOverrides;
}

/**
 * Parcels after a successful checkout: registered on `CheckoutSucceeded`, moved by the carrier's
 * callbacks (or the simulated carrier), watched by a deadline, resolved by a reshipment or a refund;
 * their events go out through an outbox on `ecommerce.shipping.events`. Queries read the parcels read
 * model (event-store database) through a Redis cache.
 */
@Module({})
export class ShippingModule {
  static register(config: AppConfig, overrides: ShippingOverrides = {}): DynamicModule {
    return {
      module: ShippingModule,
      imports: [
        ConfigModule.forRoot(config),
        MetricsModule.forRoot(PRODUCER),
        databaseModule(SHIPPING_DATABASE),
        HealthModule.forRoot({ postgres: true, callees: ['orders', 'payments'] }),
        CheckoutStepsModule.forRoot(overrides.participants),
        BusModule.forRoot({ producer: PRODUCER }),
        ParcelViewCacheModule.forRoot(),
      ],
      controllers: [RegisterParcelHandler, CarrierCallbacksController, ParcelQueriesController],
      providers: [
        ...HTTP_APP_PROVIDERS,
        { provide: SHIPPING_SETTINGS, useValue: shippingSettingsOf(config, overrides.settings) },
        parcelReadModelProvider,
        ParcelReadModelCloser,
        ParcelRepository,
        ShippingOutboxRelay,
        MoveParcelHandler,
        ParcelDeadlineScanner,
        CarrierSimulator,
      ],
    };
  }
}
