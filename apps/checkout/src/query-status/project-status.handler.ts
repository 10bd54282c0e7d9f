import { Controller, Inject } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@app/config';
import type { AnyEvent } from '@app/contracts';
import { type StoreBatcher, type StreamItem, checkoutStatusModel, projectEvents, storeBatcher } from '@app/event-store';
import { OnAnyEvent, RedisStreamsContext } from '@app/redis-streams';

/**
 * Keeps this app's own `checkout_view`, the read path of `GET /checkout/:checkoutId`, by folding the
 * checkout stream (the choreography's events, and the outcomes of both styles) as the event store's
 * read model does: the app answers from its own schema, never from another service's database.
 */
@Controller()
export class ProjectStatusHandler {
  private readonly batcher: StoreBatcher<StreamItem & { event: AnyEvent }>;

  constructor(@InjectDataSource() db: DataSource, @Inject(APP_CONFIG) config: AppConfig) {
    this.batcher = storeBatcher<StreamItem & { event: AnyEvent }>(config, 'Projecting checkout status', async (items) => {
      await projectEvents(
        db,
        items.map((i) => i.event),
        [checkoutStatusModel],
      );
    });
  }

  @OnAnyEvent()
  project(@Payload() event: AnyEvent, @Ctx() context: RedisStreamsContext): Promise<void> {
    return this.batcher.add({ event, entryId: context.getEntryId() });
  }
}
