import type { PoolClient } from 'pg';
import type { DataSource } from 'typeorm';

/** How many statements an app has sent to PostgreSQL since it was created or last reset. */
export interface RoundTrips {
  readonly count: number;
  reset(): void;
}

interface ObservablePool {
  on(event: 'acquire', listener: (client: PoolClient) => void): unknown;
}

/**
 * Counts the round trips of an app's data source: every `query` of every client its pg pool lends,
 * whether through TypeORM or straight to the pool. pg sends a statement (with its Parse, when it is a
 * named statement run for the first time on that connection) and waits for its answer, so one call is one
 * round trip.
 */
export function countRoundTrips(dataSource: DataSource): RoundTrips {
  const pool = (dataSource.driver as unknown as { master: ObservablePool }).master;
  const counted = new WeakSet<PoolClient>();
  let count = 0;
  pool.on('acquire', (client) => {
    if (counted.has(client)) return;
    counted.add(client);
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      count += 1;
      return query(...args);
    };
  });
  return {
    get count() {
      return count;
    },
    reset() {
      count = 0;
    },
  };
}
