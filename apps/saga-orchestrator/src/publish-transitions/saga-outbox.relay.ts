import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AnyEvent } from '@app/contracts';
import { OutboxRelay } from '@app/database';
import { EventBus } from '@app/bus';
import { SAGA_SETTINGS, type SagaSettings } from '../saga-orchestrator.settings.js';

/**
 * Relays the transition events queued in `saga_outbox` to Redis (`ecommerce.saga.events`).
 * Several instances relay side by side, so the transitions of one saga can reach the stream out of
 * order when two relays' batches race. No consumer puts them back in order: each event names its
 * `from` and `to`, the checkout view never reopens a terminal status whatever arrives after it, and
 * the transition number is only in the event id (deduplication), not something a reader sorts by.
 */
@Injectable()
export class SagaOutboxRelay extends OutboxRelay<AnyEvent> {
  constructor(@InjectDataSource() db: DataSource, publisher: EventBus, @Inject(SAGA_SETTINGS) settings: SagaSettings) {
    super(db, (envelopes) => publisher.publishMany(envelopes), { table: 'saga_outbox', ...settings.outbox });
  }
}
