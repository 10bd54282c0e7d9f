import { Controller, Inject } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@app/config';
import type { AnyEvent } from '@app/contracts';
import { ParcelViewCache, type StoreBatcher, type StreamItem, parcelModel, parcelVersions, projectEventsWithChanges, storeBatcher } from '@app/event-store';
import { OnAnyEvent, RedisStreamsContext } from '@app/redis-streams';
import { projectionMetrics, recordObservation } from '../choreography-metrics/choreography.metrics.js';
import { observationsOf } from '../choreography-metrics/choreography.observations.js';

/**
 * Applies every event of every stream to the read models, the handlers of the entries in flight
 * sharing one transaction (with its checkpoint). Once it committed, the parcels it touched are
 * invalidated in the parcels cache, and what the events changed feeds
 * the choreography's comparison metrics: a redelivered event changes nothing, so counts nothing.
 */
@Controller()
export class ProjectEventsHandler {
  private readonly batcher: StoreBatcher<StreamItem & { event: AnyEvent }>;

  constructor(@InjectDataSource() db: DataSource, @Inject(APP_CONFIG) config: AppConfig, cache: ParcelViewCache) {
    const metrics = projectionMetrics();
    this.batcher = storeBatcher<StreamItem & { event: AnyEvent }>(config, 'Projecting into the read models', async (items) => {
      const events = items.map((item) => item.event);
      const changes = await projectEventsWithChanges(db, events);
      // Before the events are acknowledged, and for redelivered ones too (their first invalidation may have failed).
      const parcels = [...new Set(events.map((event) => parcelModel.keyOf(event)).filter((id) => id !== undefined))];
      await cache.invalidate(await parcelVersions(db, parcels));
      for (const observation of changes.flatMap(observationsOf)) recordObservation(metrics, observation);
    });
  }

  @OnAnyEvent()
  project(@Payload() event: AnyEvent, @Ctx() context: RedisStreamsContext): Promise<void> {
    return this.batcher.add({ event, entryId: context.getEntryId() });
  }
}
