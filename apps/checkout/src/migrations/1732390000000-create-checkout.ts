import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateCheckout1732390000000 implements MigrationInterface {
  name = 'CreateCheckout1732390000000';

  async up(q: QueryRunner): Promise<void> {
    // The choreographed checkouts this app accepted. Their progress lives in the event store's
    // checkout_view; these columns only remember what the deadline watch found and did.
    await q.query(`
      CREATE TABLE checkouts (
        checkout_id text PRIMARY KEY,
        client_id text NOT NULL,
        request jsonb NOT NULL,
        cart_id text,
        idempotency_key text UNIQUE,
        initiated_event_id text NOT NULL,
        accepted_at timestamptz NOT NULL DEFAULT now(),
        stuck_at timestamptz,
        last_event_type text,
        settled_at timestamptz,
        settled_status text,
        compensated_at timestamptz,
        compensation jsonb,
        compensation_refused text
      )`);
    // What the deadline scan reads: accepted checkouts not known to have ended.
    await q.query('CREATE INDEX checkouts_open ON checkouts (accepted_at) WHERE settled_at IS NULL AND compensated_at IS NULL');
    // The event-sourced carts: one row per event, the version is the optimistic lock.
    await q.query(`
      CREATE TABLE cart_events (
        cart_id text NOT NULL,
        version integer NOT NULL CHECK (version > 0),
        event jsonb NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (cart_id, version)
      )`);
    // Transactional outbox: written with the change it announces, relayed to Redis, then deleted.
    await q.query(`
      CREATE TABLE checkout_outbox (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        envelope jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE checkout_outbox');
    await q.query('DROP TABLE cart_events');
    await q.query('DROP TABLE checkouts');
  }
}
