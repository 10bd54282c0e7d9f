import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AnyEvent } from '@app/contracts';
import { OutboxRelay as TableOutboxRelay } from '@app/database';
import { EventPublisher } from '@app/redis-streams';
import { SAGA_SETTINGS, type SagaSettings } from '../saga-orchestrator.settings.js';

/**
 * Relays the transition events queued in `saga_outbox` to Redis (`ecommerce.saga.events`).
 * Several instances relay side by side; events of one saga may then interleave across batches,
 * and consumers order them by the saga's transition number in their causation chain.
 */
@Injectable()
export class OutboxRelay extends TableOutboxRelay<AnyEvent> {
  constructor(@InjectDataSource() db: DataSource, publisher: EventPublisher, @Inject(SAGA_SETTINGS) settings: SagaSettings) {
    super(db, (envelopes) => publisher.publishMany(envelopes), { table: 'saga_outbox', ...settings.outbox });
  }
}
