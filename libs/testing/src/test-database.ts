import { randomBytes } from 'node:crypto';
import pg from 'pg';

const ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: process.env['TEST_DATABASE_ADMIN_URL'] ?? ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Refuses any database whose name does not say it is for tests. */
export function assertTestDatabaseName(name: string): void {
  if (!/^[a-z0-9_]*test[a-z0-9_]*$/.test(name)) throw new Error(`Refusing to use database "${name}": its name must contain "test"`);
}

/** A fresh, empty database of its own for one test file; `drop()` removes it. */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const name = `checkout_test_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  assertTestDatabaseName(name);
  await admin((client) => client.query(`CREATE DATABASE ${name}`));
  const base = new URL(process.env['TEST_DATABASE_ADMIN_URL'] ?? ADMIN_URL);
  base.pathname = `/${name}`;
  return {
    url: base.toString(),
    name,
    drop: () => dropDatabase(name),
  };
}

/**
 * Drops a test database once its connections are gone. A pool's `end()` resolves before its clients'
 * sockets close; forcing the drop while they close would end them with an error their pool reports
 * to nobody. Connections still open after a few seconds are a leak: the drop then forces them out.
 */
async function dropDatabase(name: string): Promise<void> {
  await admin(async (client) => {
    const deadline = Date.now() + 5_000;
    const open = async () => (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name])).rows[0]!.n;
    while ((await open()) > 0 && Date.now() < deadline) await new Promise((done) => setTimeout(done, 50));
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });
}
