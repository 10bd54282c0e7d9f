import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateCheckoutDeadline1733500000000 implements MigrationInterface {
  name = 'CreateCheckoutDeadline1733500000000';

  async up(q: QueryRunner): Promise<void> {
    // The choreographed checkouts this worker watches, one per CheckoutInitiated it consumed, and
    // what the deadline found and did. A claim (claimed_by until claimed_until) marks the one
    // instance compensating it: taken and released in short transactions, never held across the
    // participant calls.
    await q.query(`
      CREATE TABLE watched_checkouts (
        checkout_id text PRIMARY KEY,
        client_id text NOT NULL,
        cart_id text,
        initiated_event_id text NOT NULL,
        accepted_at timestamptz NOT NULL,
        stuck_at timestamptz,
        last_event_type text,
        settled_at timestamptz,
        settled_status text,
        claimed_by text,
        claimed_until timestamptz,
        compensated_at timestamptz,
        compensation jsonb,
        compensation_refused text
      )`);
    // What the deadline scan reads: watched checkouts not known to have ended.
    await q.query('CREATE INDEX watched_checkouts_open ON watched_checkouts (accepted_at) WHERE settled_at IS NULL AND compensated_at IS NULL');
    // The worker's own fold of the events it consumes (the checkout-status read model), with the
    // events already applied: what the deadline decides on, in this schema.
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
    // Transactional outbox of the compensation events, written with the compensation they announce.
    await q.query(`
      CREATE TABLE deadline_outbox (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        envelope jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE deadline_outbox');
    await q.query('DROP TABLE projection_applied');
    await q.query('DROP TABLE checkout_view');
    await q.query('DROP TABLE watched_checkouts');
  }
}
