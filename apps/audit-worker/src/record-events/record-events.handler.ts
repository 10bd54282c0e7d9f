import { Controller, Inject } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@app/config';
import type { AnyEvent } from '@app/contracts';
import { type IncomingEvent, type StoreBatcher, type StreamItem, appendEvents, storeBatcher } from '@app/event-store';
import { OnAnyEvent, RedisStreamsContext } from '@app/redis-streams';
import { auditMetrics } from './audit.metrics.js';

/**
 * Appends every event of every stream to the durable store, once per eventId. The handlers of the
 * entries in flight share one append, in stream order; each is answered, and its entry
 * acknowledged, only once the append holding its event committed.
 */
@Controller()
export class RecordEventsHandler {
  private readonly batcher: StoreBatcher<IncomingEvent & StreamItem>;

  constructor(@InjectDataSource() db: DataSource, @Inject(APP_CONFIG) config: AppConfig) {
    const metrics = auditMetrics();
    this.batcher = storeBatcher<IncomingEvent & StreamItem>(config, 'Appending to the event store', async (batch) => {
      const { appended, duplicates } = await appendEvents(db, batch);
      metrics.stored.inc({ result: 'appended' }, appended);
      metrics.stored.inc({ result: 'duplicate' }, duplicates);
    });
  }

  @OnAnyEvent()
  record(@Payload() event: AnyEvent, @Ctx() context: RedisStreamsContext): Promise<void> {
    return this.batcher.add({ stream: context.getTopic(), event, entryId: context.getEntryId() });
  }
}
