import type { Pool, PoolClient, QueryResultRow } from 'pg';
import { DataSource, type EntityManager } from 'typeorm';

/** A statement an app runs on every request or every batch, under a name of its own within the app. */
export interface PreparedStatement {
  readonly name: string;
  readonly text: string;
}

/**
 * Runs a named prepared statement and returns its rows: pg parses it once per connection, then only
 * binds and executes it, in one round trip. TypeORM's `query` sends text every time, so this goes to
 * TypeORM's pg connection directly: the pool's, where each statement is its own transaction, or, given
 * a transaction's entity manager, that transaction's. It still logs through TypeORM's logger
 * (`DATABASE_LOG_QUERIES`, failed queries).
 *
 * For writes, locks and function calls. PostgreSQL may keep one plan of a prepared statement for the
 * life of the connection: a read of a table that grows, prepared while the table was small, can keep
 * scanning the whole table; send such a read as text (ADR 0022).
 */
export async function runPrepared<T>(db: DataSource | EntityManager, statement: PreparedStatement, values: unknown[]): Promise<T[]> {
  const source = db instanceof DataSource ? db : db.connection;
  // A transaction's entity manager runs on its query runner's connection; otherwise, the pool.
  const runner = db instanceof DataSource ? undefined : db.queryRunner;
  source.logger.logQuery(statement.text, values);
  try {
    const connection = runner === undefined ? (source.driver as unknown as { master: Pool }).master : ((await runner.connect()) as PoolClient);
    return (await connection.query<T & QueryResultRow>({ name: statement.name, text: statement.text, values })).rows;
  } catch (error) {
    source.logger.logQueryError(error instanceof Error ? error : String(error), statement.text, values);
    throw error;
  }
}
