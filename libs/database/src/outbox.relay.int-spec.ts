import pg from 'pg';
import { DataSource } from 'typeorm';
import { createTestDatabase, eventually, type TestDatabase, testConfig } from '@app/testing';
import { dataSourceOptions } from './database.module.js';
import { OutboxRelay } from './outbox.relay.js';

interface Row {
  n: number;
}

describe('outbox relay', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let relay: OutboxRelay<Row>;
  let published: number[];

  beforeAll(async () => {
    db = await createTestDatabase('outbox_relay');
    dataSource = await new DataSource(dataSourceOptions({ url: () => db.url, schema: 'public', entities: [], migrations: [] }, testConfig())).initialize();
    await dataSource.query('CREATE TABLE test_outbox (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, envelope jsonb NOT NULL)');
  });

  beforeEach(() => {
    published = [];
    relay = new OutboxRelay<Row>(dataSource, (rows) => Promise.resolve(published.push(...rows.map((r) => r.n))), {
      table: 'test_outbox',
      batchSize: 2,
      delayMs: 1,
      intervalMs: 200,
    });
  });

  afterEach(async () => {
    relay.onModuleDestroy();
    await relay.close();
  });

  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  const queue = (...ns: number[]) =>
    dataSource.query('INSERT INTO test_outbox (envelope) SELECT jsonb_build_object($$n$$, n) FROM unnest($1::int[]) WITH ORDINALITY AS t(n, o) ORDER BY o', [
      ns,
    ]);
  const left = async () => Number((await dataSource.query<[{ c: string }]>('SELECT count(*) AS c FROM test_outbox'))[0].c);

  it('relays every queued row once, in id order, over several batches, and deletes it', async () => {
    await queue(1, 2, 3, 4, 5);
    relay.nudge();
    await eventually(() => expect(published).toEqual([1, 2, 3, 4, 5]));
    await queue(6, 7);
    relay.nudge();
    await eventually(() => expect(published).toEqual([1, 2, 3, 4, 5, 6, 7]));
    expect(await left()).toBe(0);
  });

  it('relays a row that commits after a higher one was relayed at its own nudge, without waiting for a sweep', async () => {
    await queue(10);
    relay.nudge();
    await eventually(() => expect(published).toEqual([10]));
    const late = new pg.Client({ connectionString: db.url });
    await late.connect();
    try {
      await late.query('BEGIN');
      await late.query(`INSERT INTO test_outbox (envelope) VALUES ('{"n": 11}')`);
      await queue(12);
      relay.nudge();
      await eventually(() => expect(published).toEqual([10, 12]));
      await late.query('COMMIT');
      relay.nudge();
      // No sweep runs in this test (the relay was not bootstrapped): only the nudge can find it.
      await eventually(() => expect(published).toEqual([10, 12, 11]), { timeoutMs: 3_000 });
      expect(await left()).toBe(0);
    } finally {
      await late.end();
    }
  });

  it('keeps the rows queued when publishing fails, and relays them on a later try', async () => {
    let failing = true;
    const flaky = new OutboxRelay<Row>(
      dataSource,
      (rows) => (failing ? Promise.reject(new Error('bus away')) : Promise.resolve(published.push(...rows.map((r) => r.n)))),
      { table: 'test_outbox', batchSize: 10, delayMs: 1, intervalMs: 50 },
    );
    await queue(20, 21);
    await flaky.flush();
    expect(published).toEqual([]);
    expect(await left()).toBe(2);
    failing = false;
    await flaky.flush();
    expect(published).toEqual([20, 21]);
    await flaky.close();
  });
});
