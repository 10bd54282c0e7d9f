import type { Pool, QueryResultRow } from 'pg';
import type { DataSource } from 'typeorm';

/** A statement an app runs on every request, under a name of its own within the app. */
export interface PreparedStatement {
  readonly name: string;
  readonly text: string;
}

/**
 * Runs a named prepared statement and returns its rows: pg parses and plans it once per connection,
 * then only binds and executes it, in one round trip. TypeORM's `query` sends text every time, so this
 * goes to TypeORM's pg pool directly; it still logs through TypeORM's logger (`DATABASE_LOG_QUERIES`,
 * failed queries). Each statement is its own transaction.
 */
export async function runPrepared<T>(db: DataSource, statement: PreparedStatement, values: unknown[]): Promise<T[]> {
  const pool = (db.driver as unknown as { master: Pool }).master;
  db.logger.logQuery(statement.text, values);
  try {
    return (await pool.query<T & QueryResultRow>({ name: statement.name, text: statement.text, values })).rows;
  } catch (error) {
    db.logger.logQueryError(error instanceof Error ? error : String(error), statement.text, values);
    throw error;
  }
}
