import { type DynamicModule, Module } from '@nestjs/common';
import { type AppConfig, ConfigModule } from '@app/config';
import { databaseModule } from '@app/database';
import { EVENT_STORE_DATABASE, ParcelViewCacheModule } from '@app/event-store';
import { HTTP_APP_PROVIDERS, HealthModule, MetricsModule } from '@app/http-app';
import { ProjectEventsHandler } from './project-events/project-events.handler.js';

/**
 * The projection worker's name, consumer group and transport settings. Reads gather for 20 ms (a
 * read model may trail the bus by that much), and every entry in flight is handed over at once: its
 * transactions fold each batch in stream order (ADR 0011).
 */
export const CQRS_PROJECTION_WORKER = { name: 'cqrs-projection-worker', group: 'cqrs-projection', transport: { readPauseMs: 20, ordering: 'none' } } as const;

/** Keeps the read models (checkout_view, client_orders, cart_view, parcel_view) up to date from the live bus, and the parcels cache honest. */
@Module({})
export class CqrsProjectionWorkerModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: CqrsProjectionWorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        MetricsModule.forRoot(CQRS_PROJECTION_WORKER.name),
        databaseModule(EVENT_STORE_DATABASE),
        HealthModule.forRoot({ postgres: true }),
        ParcelViewCacheModule.forRoot(),
      ],
      controllers: [ProjectEventsHandler],
      providers: [...HTTP_APP_PROVIDERS],
    };
  }
}
