import pg from 'pg';
import { DataSource } from 'typeorm';
import { createTestDatabase, eventually, type TestDatabase, testConfig } from '@app/testing';
import { dataSourceOptions } from './database.module.js';
import { outboxNotifyTrigger } from './outbox.trigger.js';
import { OutboxRelay, type OutboxRelayOptions } from './outbox.relay.js';

interface Row {
  n: number;
}

/** Longer than any test: whatever a test sees relayed was woken by a notification, a start or a retry, never by the sweep. */
const NO_SWEEP = { intervalMs: 600_000 };

describe('outbox relay', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let relay: OutboxRelay<Row>;
  let published: number[];
  let failing: boolean;
  let attempts: number;

  beforeAll(async () => {
    db = await createTestDatabase('outbox_relay');
    dataSource = await new DataSource(dataSourceOptions({ url: () => db.url, schema: 'public', entities: [], migrations: [] }, testConfig())).initialize();
    await dataSource.query('CREATE TABLE test_outbox (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, envelope jsonb NOT NULL)');
    for (const sql of outboxNotifyTrigger('test_outbox').up) await dataSource.query(sql);
  });

  const startRelay = async (options: Partial<OutboxRelayOptions> = {}) => {
    relay = new OutboxRelay<Row>(
      dataSource,
      (rows) => {
        attempts += 1;
        return failing ? Promise.reject(new Error('bus away')) : Promise.resolve(published.push(...rows.map((r) => r.n)));
      },
      { table: 'test_outbox', batchSize: 2, delayMs: 0, ...NO_SWEEP, ...options },
    );
    await relay.onApplicationBootstrap();
  };

  beforeEach(() => {
    published = [];
    failing = false;
    attempts = 0;
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
  it('relays what was queued before it started, then every commit as it is notified, in id order over several batches', async () => {
    await queue(1, 2, 3);
    await startRelay();
    await eventually(() => expect(published).toEqual([1, 2, 3]));
    await queue(4, 5, 6, 7, 8);
    await eventually(() => expect(published).toEqual([1, 2, 3, 4, 5, 6, 7, 8]));
    // Published inside the transaction that deletes the rows: the delete commits just after.
    await eventually(async () => expect(await left()).toBe(0));
  });

  it('relays a row that commits after a higher one was relayed, woken by its own commit', async () => {
    await startRelay();
    await queue(10);
    await eventually(() => expect(published).toEqual([10]));
    const late = new pg.Client({ connectionString: db.url });
    await late.connect();
    try {
      await late.query('BEGIN');
      await late.query(`INSERT INTO test_outbox (envelope) VALUES ('{"n": 11}')`);
      await queue(12);
      await eventually(() => expect(published).toEqual([10, 12]));
      await late.query('COMMIT');
      await eventually(() => expect(published).toEqual([10, 12, 11]), { timeoutMs: 3_000 });
      await eventually(async () => expect(await left()).toBe(0));
    } finally {
      await late.end();
    }
  });

  it('keeps the rows queued while publishing fails, and relays them by itself once it works again', async () => {
    failing = true;
    await queue(20, 21);
    await startRelay({ batchSize: 10 });
    await eventually(() => expect(attempts).toBeGreaterThan(0));
    expect(published).toEqual([]);
    expect(await left()).toBe(2);
    failing = false;
    await eventually(() => expect(published).toEqual([20, 21]), { timeoutMs: 5_000 });
    await eventually(async () => expect(await left()).toBe(0));
  });

  it('listens again after losing its connection, and relays what was committed meanwhile', async () => {
    await startRelay();
    await dataSource.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'outbox-listener' AND datname = current_database()`,
    );
    await queue(30, 31, 32);
    await eventually(() => expect(published).toEqual([30, 31, 32]), { timeoutMs: 8_000 });
    await queue(33);
    await eventually(() => expect(published).toEqual([30, 31, 32, 33]));
  });
});
