import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AnyEvent, EventEnvelope } from '@app/contracts';
import { type PreparedStatement, runPrepared } from '@app/database';
import { checkoutStatusModel, projectEvents } from '@app/event-store';

/** Run for every batch with a new checkout, so prepared once per connection. */
const WATCH: PreparedStatement = {
  name: 'deadline_watch',
  text: `INSERT INTO watched_checkouts (checkout_id, client_id, cart_id, initiated_event_id, accepted_at)
       SELECT checkout_id, client_id, cart_id, initiated_event_id, accepted_at
       FROM jsonb_to_recordset($1::jsonb) AS r(checkout_id text, client_id text, cart_id text, initiated_event_id text, accepted_at timestamptz)
       ON CONFLICT (checkout_id) DO NOTHING`,
};

/** What the worker learns from the events it consumes, in its own schema. */
@Injectable()
export class WatchedCheckoutsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Folds the events into this worker's `checkout_view` and starts watching the checkouts they
   * initiate. Both writes are idempotent (applied events are skipped, a watched checkout is kept as
   * first seen), so a redelivered batch changes nothing.
   */
  async record(events: readonly AnyEvent[]): Promise<void> {
    const initiated = events.filter((e): e is EventEnvelope<'CheckoutInitiated'> => e.type === 'CheckoutInitiated');
    if (initiated.length > 0) await this.watch(initiated);
    // Watched first: once the view shows a checkout, it can be compensated (a 404 would say otherwise).
    await projectEvents(this.db, events, [checkoutStatusModel]);
  }

  private async watch(initiated: readonly EventEnvelope<'CheckoutInitiated'>[]): Promise<void> {
    // The deadline runs from when the checkout was accepted (the event's own time), not from when
    // this worker got to it, so a backlog here does not push deadlines back.
    const rows = initiated.map((e) => ({
      checkout_id: e.payload.checkoutId,
      client_id: e.payload.clientId,
      cart_id: e.payload.cartId ?? null,
      initiated_event_id: e.eventId,
      accepted_at: e.occurredAt,
    }));
    await runPrepared(this.db, WATCH, [JSON.stringify(rows)]);
  }
}
