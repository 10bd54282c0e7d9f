import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase, testConfig } from '@app/testing';
import { dataSourceOptions } from './database.module.js';
import { type PreparedStatement, runPrepared } from './prepared-statement.js';

const INSERT: PreparedStatement = { name: 'test_insert_note', text: 'INSERT INTO notes (body) VALUES ($1) RETURNING body' };
const BACKEND: PreparedStatement = { name: 'test_backend', text: 'SELECT pg_backend_pid() AS pid' };

describe('prepared statements (PostgreSQL)', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  const bodies = async (): Promise<string[]> => (await dataSource.query<{ body: string }[]>('SELECT body FROM notes ORDER BY body')).map((r) => r.body);

  beforeAll(async () => {
    db = await createTestDatabase('prepared_statements');
    const options = { url: () => db.url, schema: 'public', entities: [], migrations: [] };
    dataSource = await new DataSource(dataSourceOptions(options, testConfig())).initialize();
    await dataSource.query('CREATE TABLE notes (body text PRIMARY KEY)');
  });

  afterEach(() => dataSource.query('TRUNCATE notes'));

  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  it('runs in the transaction of the entity manager it is given: rolled back with it, on its connection', async () => {
    await expect(
      dataSource.transaction(async (tx) => {
        const own = await tx.query<{ pid: number }[]>('SELECT pg_backend_pid() AS pid');
        expect(await runPrepared(tx, BACKEND, [])).toEqual(own);
        expect(await runPrepared(tx, INSERT, ['rolled back'])).toEqual([{ body: 'rolled back' }]);
        expect(await tx.query('SELECT body FROM notes')).toEqual([{ body: 'rolled back' }]);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await bodies()).toEqual([]);

    await dataSource.transaction((tx) => runPrepared(tx, INSERT, ['committed']));
    expect(await bodies()).toEqual(['committed']);
  });

  it('runs on the pool, each statement its own transaction, and names the statement once per connection', async () => {
    for (const body of ['a', 'b', 'c']) await runPrepared(dataSource, INSERT, [body]);
    expect(await bodies()).toEqual(['a', 'b', 'c']);
    const prepared = await dataSource.transaction(async (tx) => {
      await runPrepared(tx, INSERT, ['d']);
      return tx.query<{ statement: string }[]>("SELECT statement FROM pg_prepared_statements WHERE name = 'test_insert_note'");
    });
    expect(prepared).toEqual([{ statement: INSERT.text }]);
  });

  it('reports a failed statement as the error pg gives, leaving the transaction to the caller', async () => {
    await runPrepared(dataSource, INSERT, ['taken']);
    await expect(dataSource.transaction((tx) => runPrepared(tx, INSERT, ['taken']))).rejects.toMatchObject({ code: '23505' });
    expect(await bodies()).toEqual(['taken']);
  });
});
