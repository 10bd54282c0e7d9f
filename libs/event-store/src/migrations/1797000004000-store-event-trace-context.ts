import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The envelope's `traceContext` as it arrived (null when the event has none, as while tracing is
 * off): the console links a checkout to its trace from it (ADR 0017).
 */
export class StoreEventTraceContext1797000004000 implements MigrationInterface {
  name = 'StoreEventTraceContext1797000004000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE events ADD COLUMN trace_context jsonb');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE events DROP COLUMN trace_context');
  }
}
