import type { MigrationInterface, QueryRunner } from 'typeorm';

export class IndexNotificationsByClient1796500000000 implements MigrationInterface {
  name = 'IndexNotificationsByClient1796500000000';

  // A client's notifications are read newest first by id (the page cursor), so the index follows that order.
  async up(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX notifications_client_idx');
    await q.query('CREATE INDEX notifications_client_id_idx ON notifications (client_id, notification_id DESC)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX notifications_client_id_idx');
    await q.query('CREATE INDEX notifications_client_idx ON notifications (client_id, created_at)');
  }
}
