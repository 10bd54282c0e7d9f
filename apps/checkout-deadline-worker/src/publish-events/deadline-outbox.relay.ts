import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AnyEvent } from '@app/contracts';
import { OutboxRelay } from '@app/database';
import { EventBus } from '@app/bus';
import { DEADLINE_SETTINGS, type DeadlineSettings } from '../checkout-deadline.settings.js';

/** The `producer` of this worker's events. */
export const PRODUCER = 'checkout-deadline-worker';

/** Relays `deadline_outbox` (the events that end a compensated or confirmed stuck checkout) to `ecommerce.checkout.events`. */
@Injectable()
export class DeadlineOutboxRelay extends OutboxRelay<AnyEvent> {
  constructor(@InjectDataSource() db: DataSource, publisher: EventBus, @Inject(DEADLINE_SETTINGS) settings: DeadlineSettings) {
    super(db, (envelopes) => publisher.publishMany(envelopes), { table: 'deadline_outbox', ...settings.outbox });
  }

  /** Relays what is left before the database closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.close();
  }
}
