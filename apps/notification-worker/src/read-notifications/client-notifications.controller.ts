import { Controller, Get, Param, Query } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { rowsOf } from '@app/database';
import type { NotificationKind } from '../notify-client/notification.message.js';
import { ClientIdParam, NotificationPageQuery } from './client-notifications.dto.js';

interface NotificationRow {
  notification_id: string;
  checkout_id: string;
  kind: NotificationKind;
  message: string;
  created_at: Date;
}

/**
 * What a client was told about their checkouts, newest first. Served by the notification worker
 * itself: it owns the notifications, and its HTTP port (health, metrics) takes the API key like any app.
 */
@Controller('notifications')
export class ClientNotificationsController {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** An unknown client has no notifications yet: an empty page, not a 404. `nextCursor` is null on the last page. */
  @Get(':clientId')
  async list(@Param() { clientId }: ClientIdParam, @Query() { limit, cursor }: NotificationPageQuery) {
    const rows = await rowsOf<NotificationRow>(
      this.db.manager,
      `SELECT notification_id::text, checkout_id, kind, message, created_at FROM notifications
       WHERE client_id = $1 AND ($2::bigint IS NULL OR notification_id < $2) ORDER BY notification_id DESC LIMIT $3`,
      [clientId, cursor ?? null, limit + 1],
    );
    const page = rows.slice(0, limit);
    return {
      clientId,
      items: page.map((r) => ({ notificationId: r.notification_id, checkoutId: r.checkout_id, kind: r.kind, message: r.message, createdAt: r.created_at })),
      nextCursor: rows.length > limit ? (page.at(-1)?.notification_id ?? null) : null,
    };
  }
}
