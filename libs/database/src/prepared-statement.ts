import type { Pool, PoolClient, QueryResultRow } from 'pg';
import { DataSource, type EntityManager } from 'typeorm';

/** A statement an app runs on every request or every batch, under a name of its own within the app. */
export interface PreparedStatement {
  readonly name: string;
  readonly text: string;
}

/**
 * Runs a named prepared statement and returns its rows: pg parses it once per connection, then only
 * binds and executes it, in one round trip (PostgreSQL keeps the plan too when a generic one is as
 * good). TypeORM's `query` sends text every time, so this goes to TypeORM's pg connection directly:
 * the pool's, where each statement is its own transaction, or, given a transaction's entity manager,
 * that transaction's. It still logs through TypeORM's logger (`DATABASE_LOG_QUERIES`, failed queries).
 */
export async function runPrepared<T>(db: DataSource | EntityManager, statement: PreparedStatement, values: unknown[]): Promise<T[]> {
  const source = db instanceof DataSource ? db : db.connection;
  source.logger.logQuery(statement.text, values);
  try {
    const connection = await connectionOf(db);
    return (await connection.query<T & QueryResultRow>({ name: statement.name, text: statement.text, values })).rows;
  } catch (error) {
    source.logger.logQueryError(error instanceof Error ? error : String(error), statement.text, values);
    throw error;
  }
}

/** The connection of the entity manager's query runner (a transaction's), else the pool. */
async function connectionOf(db: DataSource | EntityManager): Promise<Pool | PoolClient> {
  const runner = db instanceof DataSource ? undefined : db.queryRunner;
  if (runner !== undefined) return (await runner.connect()) as PoolClient;
  return ((db instanceof DataSource ? db : db.connection).driver as unknown as { master: Pool }).master;
}
