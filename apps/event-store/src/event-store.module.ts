import { type DynamicModule, Module } from '@nestjs/common';
import { BusModule } from '@app/bus';
import { type AppConfig, ConfigModule } from '@app/config';
import { databaseModule } from '@app/database';
import { EVENT_STORE_DATABASE, ParcelViewCacheModule } from '@app/event-store';
import { HTTP_APP_PROVIDERS, HealthModule, MetricsModule } from '@app/http-app';
import { BrowseStreamsController } from './browse-streams/browse-streams.controller.js';
import { CqrsQueriesController } from './cqrs-queries/cqrs-queries.controller.js';
import { DeadLettersController } from './dead-letters/dead-letters.controller.js';
import { RebuildProjectionController } from './rebuild-projection/rebuild-projection.controller.js';
import { ReplayController } from './replay/replay.controller.js';

/** Read API over the durable event store: streams, replay, CQRS queries, projection rebuilds. */
@Module({})
export class EventStoreModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: EventStoreModule,
      imports: [
        ConfigModule.forRoot(config),
        MetricsModule.forRoot('event-store'),
        databaseModule(EVENT_STORE_DATABASE),
        HealthModule.forRoot({ postgres: true }),
        ParcelViewCacheModule.forRoot(),
        BusModule.forAdmin(),
      ],
      controllers: [BrowseStreamsController, ReplayController, CqrsQueriesController, RebuildProjectionController, DeadLettersController],
      providers: [...HTTP_APP_PROVIDERS],
    };
  }
}
