import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { EventEnvelope } from '@app/contracts';
import { type PreparedStatement, runPrepared } from '@app/database';
import { counter } from '@app/observability';
import { OnEvent, RetriableError } from '@app/redis-streams';
import { type NotificationKind, type TerminalEvent, notificationOf } from './notification.message.js';

/** Run once per checkout, so prepared once per connection. */
const RECORD: PreparedStatement = {
  name: 'notification_record',
  text: `INSERT INTO notifications (checkout_id, client_id, kind, message, event_id) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (checkout_id) DO NOTHING RETURNING kind`,
};

/**
 * Records one notification per checkout when it ends, in either style: both publish `CheckoutSucceeded` or
 * `CheckoutFailed`, so this worker reads the checkout stream only. The first outcome wins: a redelivery, a
 * republished outcome or a late contradicting event finds the checkout already notified.
 */
@Controller()
export class NotifyClientHandler {
  private readonly sent = counter<'kind'>({
    name: 'notifications_sent_total',
    help: 'Notifications recorded for clients, one per checkout',
    labelNames: ['kind'],
  });

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  @OnEvent('CheckoutSucceeded')
  succeeded(@Payload() event: EventEnvelope<'CheckoutSucceeded'>): Promise<void> {
    return this.notify(event);
  }

  @OnEvent('CheckoutFailed')
  failed(@Payload() event: EventEnvelope<'CheckoutFailed'>): Promise<void> {
    return this.notify(event);
  }

  private async notify(event: TerminalEvent): Promise<void> {
    const n = notificationOf(event);
    let inserted: { kind: NotificationKind }[];
    try {
      inserted = await runPrepared<{ kind: NotificationKind }>(this.db, RECORD, [n.checkoutId, n.clientId, n.kind, n.message, n.eventId]);
    } catch (error) {
      throw new RetriableError(`Recording the notification failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    if (inserted.length > 0) this.sent.inc({ kind: n.kind });
  }
}
