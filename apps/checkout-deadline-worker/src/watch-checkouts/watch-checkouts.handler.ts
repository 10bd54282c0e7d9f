import { Controller, Inject } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { APP_CONFIG, type AppConfig } from '@app/config';
import type { AnyEvent } from '@app/contracts';
import { type StoreBatcher, type StreamItem, storeBatcher } from '@app/event-store';
import { isOrchestrated } from '@app/projections';
import { OnAnyEvent, RedisStreamsContext } from '@app/redis-streams';
import { WatchedCheckoutsRepository } from './watched-checkouts.repository.js';

/**
 * Consumes every event of the checkout stream: the deadline decides from these alone, never from
 * another service's database. The handlers in flight share one write, in stream order. The
 * outcomes of orchestrated checkouts pass by unwritten: the orchestrator keeps its own deadlines.
 */
@Controller()
export class WatchCheckoutsHandler {
  private readonly batcher: StoreBatcher<StreamItem & { event: AnyEvent }>;

  constructor(repository: WatchedCheckoutsRepository, @Inject(APP_CONFIG) config: AppConfig) {
    this.batcher = storeBatcher<StreamItem & { event: AnyEvent }>(config, 'Watching checkouts', (items) => repository.record(items.map((i) => i.event)));
  }

  @OnAnyEvent()
  watch(@Payload() event: AnyEvent, @Ctx() context: RedisStreamsContext): Promise<void> {
    if (isOrchestrated(event)) return Promise.resolve();
    return this.batcher.add({ event, entryId: context.getEntryId() });
  }
}
