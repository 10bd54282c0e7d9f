import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The `saga_instances{state}` gauge counts the sagas not yet over, at every scrape: this index holds
 * only those, so a count costs what is in flight, not every saga the system ever ran.
 */
export class IndexUnfinishedSagasByState1797000004000 implements MigrationInterface {
  name = 'IndexUnfinishedSagasByState1797000004000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX sagas_unfinished_by_state ON sagas (state) WHERE state NOT IN ('SAGA_TERMINEE', 'SAGA_ANNULEE')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX sagas_unfinished_by_state');
  }
}
