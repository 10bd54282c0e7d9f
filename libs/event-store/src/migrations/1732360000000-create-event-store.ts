import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateEventStore1732360000000 implements MigrationInterface {
  name = 'CreateEventStore1732360000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE events (
        global_position bigserial PRIMARY KEY,
        event_id text NOT NULL UNIQUE,
        stream text NOT NULL,
        stream_position bigint NOT NULL,
        type text NOT NULL,
        schema_version integer NOT NULL,
        occurred_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        correlation_id text NOT NULL,
        causation_id text,
        checkout_id text,
        producer text NOT NULL,
        payload jsonb NOT NULL,
        UNIQUE (stream, stream_position)
      )`);
    await q.query('CREATE INDEX events_correlation_idx ON events (correlation_id, global_position)');
    await q.query('CREATE INDEX events_checkout_idx ON events (checkout_id, global_position) WHERE checkout_id IS NOT NULL');
    await q.query(`
      CREATE TABLE stream_heads (
        stream text PRIMARY KEY,
        position bigint NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE stream_heads');
    await q.query('DROP TABLE events');
  }
}
