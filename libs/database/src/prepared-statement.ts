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

/**
 * Plans the prepared statements of the rest of the transaction once per connection (generic plans),
 * for a transaction whose statements find rows by key, by a range of ids or by a list of them, and
 * run in a fraction of a millisecond. PostgreSQL would otherwise plan such a statement again on every
 * run whose parameter is an array or a bound of a range (it rates a plan for the given values as
 * cheaper), and that planning cost more than the run.
 */
export async function planOnce(tx: EntityManager): Promise<void> {
  await tx.query('SET LOCAL plan_cache_mode = force_generic_plan');
}
