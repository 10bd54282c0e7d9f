import type { MigrationInterface, QueryRunner } from 'typeorm';

export class OwnCheckoutStatus1733500000001 implements MigrationInterface {
  name = 'OwnCheckoutStatus1733500000001';

  async up(q: QueryRunner): Promise<void> {
    // GET /checkout/:checkoutId reads this app's own fold of the checkout and saga streams.
    await q.query(`
      CREATE TABLE checkout_view (
        checkout_id text PRIMARY KEY,
        status text NOT NULL,
        style text NOT NULL,
        client_id text NOT NULL,
        updated_at timestamptz NOT NULL,
        view jsonb NOT NULL
      )`);
    await q.query('CREATE TABLE projection_applied (model text NOT NULL, event_id text NOT NULL, PRIMARY KEY (model, event_id))');
    // The deadline watch moved to the checkout-deadline worker, with what it remembered.
    await q.query('DROP INDEX checkouts_open');
    await q.query(`
      ALTER TABLE checkouts DROP COLUMN stuck_at, DROP COLUMN last_event_type, DROP COLUMN settled_at, DROP COLUMN settled_status,
        DROP COLUMN compensated_at, DROP COLUMN compensation, DROP COLUMN compensation_refused`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE checkouts ADD COLUMN stuck_at timestamptz, ADD COLUMN last_event_type text, ADD COLUMN settled_at timestamptz,
        ADD COLUMN settled_status text, ADD COLUMN compensated_at timestamptz, ADD COLUMN compensation jsonb, ADD COLUMN compensation_refused text`);
    await q.query('CREATE INDEX checkouts_open ON checkouts (accepted_at) WHERE settled_at IS NULL AND compensated_at IS NULL');
    await q.query('DROP TABLE projection_applied');
    await q.query('DROP TABLE checkout_view');
  }
}
