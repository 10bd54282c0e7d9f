import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The W3C trace context of the request that created a saga, so an instance that resumes it after a
 * crash continues the same trace (ADR 0017). Null when tracing was off: nothing is captured then.
 */
export class AddSagaTraceContext1797000003000 implements MigrationInterface {
  name = 'AddSagaTraceContext1797000003000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE sagas ADD COLUMN trace_context jsonb');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE sagas DROP COLUMN trace_context');
  }
}
