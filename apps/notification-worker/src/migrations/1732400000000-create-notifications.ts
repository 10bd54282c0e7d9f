import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateNotifications1732400000000 implements MigrationInterface {
  name = 'CreateNotifications1732400000000';

  async up(q: QueryRunner): Promise<void> {
    // One notification per checkout: the unique checkout_id is what makes the first terminal event win.
    await q.query(`
      CREATE TABLE notifications (
        notification_id bigserial PRIMARY KEY,
        checkout_id text NOT NULL UNIQUE,
        client_id text NOT NULL,
        kind text NOT NULL,
        message text NOT NULL,
        event_id text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX notifications_client_idx ON notifications (client_id, created_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE notifications');
  }
}
