import type { EntityManager } from 'typeorm';

/**
 * Runs raw SQL in the app's schema and returns its rows, whatever the statement (TypeORM returns
 * `[rows, count]` for UPDATE and DELETE but plain rows otherwise).
 */
export async function rowsOf<T>(tx: EntityManager, sql: string, params: unknown[] = []): Promise<T[]> {
  const result = await tx.query<T[] | [T[], number]>(sql, params);
  return /^\s*(UPDATE|DELETE)\b/i.test(sql) ? (result as [T[], number])[0] : (result as T[]);
}
