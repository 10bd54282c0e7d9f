import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AnyEvent } from '@app/contracts';
import { OutboxRelay } from '@app/database';
import { EventBus } from '@app/bus';
import { SHIPPING_SETTINGS, type ShippingSettings } from '../shipping.settings.js';

/** Relays `shipping_outbox` (every parcel event, written with its transition) to `ecommerce.shipping.events`. */
@Injectable()
export class ShippingOutboxRelay extends OutboxRelay<AnyEvent> {
  constructor(@InjectDataSource() db: DataSource, publisher: EventBus, @Inject(SHIPPING_SETTINGS) settings: ShippingSettings) {
    super(db, (envelopes) => publisher.publishMany(envelopes), { table: 'shipping_outbox', ...settings.outbox });
  }

  /** Relays what is left before the database closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.close();
  }
}
