import { DataSource } from 'typeorm';
import { dataSourceOptions, ensureSchema, migrate } from '@app/database';
import { EVENT_STORE_DATABASE } from '@app/event-store';
import { createTestDatabase } from './test-database.js';
import { testConfig } from './test-config.js';

/** A migrated event store schema in a database of its own, and how to drop it. */
export interface TestEventStore {
  db: DataSource;
  drop(): Promise<void>;
}

/** Creates a test database labelled `label`, migrates the event store's schema in it, and connects. */
export async function createTestEventStore(label: string): Promise<TestEventStore> {
  const testDb = await createTestDatabase(label);
  const config = testConfig({ EVENT_STORE_DATABASE_URL: testDb.url });
  await ensureSchema(testDb.url, EVENT_STORE_DATABASE.schema);
  const db = await new DataSource(dataSourceOptions(EVENT_STORE_DATABASE, config)).initialize();
  await migrate(db, EVENT_STORE_DATABASE.schema);
  return {
    db,
    async drop() {
      await db.destroy();
      await testDb.drop();
    },
  };
}
