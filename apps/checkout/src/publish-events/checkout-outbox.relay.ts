import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AnyEvent } from '@app/contracts';
import { OutboxRelay } from '@app/database';
import { EventBus } from '@app/bus';
import { CHECKOUT_SETTINGS, type CheckoutSettings } from '../checkout.settings.js';

/**
 * Relays `checkout_outbox` to Redis: CheckoutInitiated to `ecommerce.checkout.events`, cart events to `ecommerce.carts.events`. A request never waits for
 * Redis: it is answered once its event is queued, and a Redis outage only delays the relay.
 */
@Injectable()
export class CheckoutOutboxRelay extends OutboxRelay<AnyEvent> {
  constructor(@InjectDataSource() db: DataSource, publisher: EventBus, @Inject(CHECKOUT_SETTINGS) settings: CheckoutSettings) {
    super(db, (envelopes) => publisher.publishMany(envelopes), { table: 'checkout_outbox', ...settings.outbox });
  }

  /** Relays what is left before the database closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.close();
  }
}
