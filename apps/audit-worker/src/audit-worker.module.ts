import { type DynamicModule, Module } from '@nestjs/common';
import { type AppConfig, ConfigModule } from '@app/config';
import { databaseModule } from '@app/database';
import { EVENT_STORE_DATABASE } from '@app/event-store';
import { HTTP_APP_PROVIDERS, HealthModule, MetricsModule } from '@app/http-app';
import { RecordEventsHandler } from './record-events/record-events.handler.js';

/**
 * The audit worker's name, consumer group and transport settings. It is off the checkout's path, so
 * it lets reads gather for 20 ms, and it takes every entry in flight at once: its appends put each
 * batch back in stream order (ADR 0011).
 */
export const AUDIT_WORKER = { name: 'audit-worker', group: 'audit', transport: { readPauseMs: 20, ordering: 'none' } } as const;

/** Records every event of every stream in the durable event store. */
@Module({})
export class AuditWorkerModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: AuditWorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        MetricsModule.forRoot(AUDIT_WORKER.name),
        databaseModule(EVENT_STORE_DATABASE),
        HealthModule.forRoot({ postgres: true }),
      ],
      controllers: [RecordEventsHandler],
      providers: [...HTTP_APP_PROVIDERS],
    };
  }
}
