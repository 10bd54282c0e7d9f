import { DataSource } from 'typeorm';
import { dataSourceOptions, ensureSchema } from '@app/database';
import { type TestDatabase, createTestDatabase, testConfig } from '@app/testing';
import { checkoutStatusModel } from './read-model.definitions.js';
import { lockModelRows, lockReadModel } from './read-model.lock.js';

/** Whether `work` finished within `ms` (it keeps running either way). */
const finishesWithin = (work: Promise<unknown>, ms: number) =>
  Promise.race([work.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms))]);

/**
 * The checkout app, the deadline worker and the event store each project a `checkout_view` of their
 * own, in their own schema of one database; advisory locks are one space for the whole database.
 */
describe('read model locks (PostgreSQL)', () => {
  let testDb: TestDatabase;
  /** Two connections of one app's schema, and one of another app's. */
  let sameApp: [DataSource, DataSource];
  let otherApp: DataSource;

  const connect = async (schema: string) => {
    await ensureSchema(testDb.url, schema);
    const config = testConfig({ EVENT_STORE_DATABASE_URL: testDb.url });
    return new DataSource(dataSourceOptions({ url: (c) => c.EVENT_STORE_DATABASE_URL, schema, entities: [], migrations: [] }, config)).initialize();
  };

  beforeAll(async () => {
    testDb = await createTestDatabase('read_model_lock');
    sameApp = [await connect('checkout'), await connect('checkout')];
    otherApp = await connect('event_store');
  });

  afterAll(async () => {
    for (const db of [...sameApp, otherApp]) await db?.destroy();
    await testDb?.drop();
  });

  it("makes a projector of the same schema wait on a held row, and never one of another app's schema", async () => {
    let waiting: Promise<unknown> = Promise.resolve();
    await sameApp[0].transaction(async (tx) => {
      await lockModelRows(tx, checkoutStatusModel, ['checkout-1']);
      expect(
        await finishesWithin(
          otherApp.transaction((other) => lockModelRows(other, checkoutStatusModel, ['checkout-1'])),
          5_000,
        ),
      ).toBe(true);
      waiting = sameApp[1].transaction((other) => lockModelRows(other, checkoutStatusModel, ['checkout-1']));
      expect(await finishesWithin(waiting, 300)).toBe(false);
    });
    // Released with the holder's transaction.
    expect(await finishesWithin(waiting, 5_000)).toBe(true);
  });

  it("lets another app's projector run while a rebuild holds its own model alone", async () => {
    let waiting: Promise<unknown> = Promise.resolve();
    await sameApp[0].transaction(async (tx) => {
      await lockReadModel(tx, checkoutStatusModel, 'exclusive');
      expect(
        await finishesWithin(
          otherApp.transaction((other) => lockReadModel(other, checkoutStatusModel, 'shared')),
          5_000,
        ),
      ).toBe(true);
      waiting = sameApp[1].transaction((other) => lockReadModel(other, checkoutStatusModel, 'shared'));
      expect(await finishesWithin(waiting, 300)).toBe(false);
    });
    expect(await finishesWithin(waiting, 5_000)).toBe(true);
  });

  it('takes the model before any row: a projector waiting on a rebuild holds none of its rows meanwhile', async () => {
    const advisoryLocksOf = async (db: DataSource, pid: number) =>
      Number((await db.query(`SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND pid = $1 AND granted`, [pid]))[0].n);
    let waiting: Promise<unknown> = Promise.resolve();
    let pid = 0;
    await sameApp[0].transaction(async (tx) => {
      await lockReadModel(tx, checkoutStatusModel, 'exclusive');
      waiting = sameApp[1].transaction(async (other) => {
        pid = (await other.query('SELECT pg_backend_pid() AS pid'))[0].pid;
        await lockModelRows(other, checkoutStatusModel, ['checkout-1', 'checkout-2']);
        return advisoryLocksOf(otherApp, pid);
      });
      expect(await finishesWithin(waiting, 300)).toBe(false);
      expect(await advisoryLocksOf(otherApp, pid)).toBe(0);
    });
    // Once the rebuild is done: the model's lock and one per row.
    await expect(waiting).resolves.toBe(3);
  });
});
