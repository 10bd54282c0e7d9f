import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateReadModels1732360001000 implements MigrationInterface {
  name = 'CreateReadModels1732360001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE checkout_view (
        checkout_id text PRIMARY KEY,
        status text NOT NULL,
        style text NOT NULL,
        client_id text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL,
        view jsonb NOT NULL
      )`);
    await q.query(`CREATE INDEX checkout_view_pending_idx ON checkout_view (created_at) WHERE status = 'PENDING'`);
    await q.query('CREATE TABLE orders_by_client (client_id text PRIMARY KEY, view jsonb NOT NULL)');
    await q.query('CREATE TABLE cart_view (cart_id text PRIMARY KEY, view jsonb NOT NULL)');
    // Each read model's checkpoint: the events already applied to it, written in the same transaction as its rows.
    await q.query('CREATE TABLE projection_applied (model text NOT NULL, event_id text NOT NULL, PRIMARY KEY (model, event_id))');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE projection_applied');
    await q.query('DROP TABLE cart_view');
    await q.query('DROP TABLE orders_by_client');
    await q.query('DROP TABLE checkout_view');
  }
}
