import pg from 'pg';
import { DataSource } from 'typeorm';
import { createTestDatabase, eventually, type TestDatabase, testConfig } from '@app/testing';
import { dataSourceOptions, keepClientErrorsFromCrashing } from './database.module.js';

describe('database connections that die while held', () => {
  let db: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase('database_lost_connection');
    const options = { url: () => db.url, schema: 'public', entities: [], migrations: [] };
    dataSource = await new DataSource(dataSourceOptions(options, testConfig())).initialize();
  });

  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  it('turns the error of a client killed between two queries into a reported error, and the pool goes on', async () => {
    const lost: Error[] = [];
    keepClientErrorsFromCrashing(dataSource, (error) => lost.push(error));
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    const [{ pid }] = (await runner.query('SELECT pg_backend_pid() AS pid')) as [{ pid: number }];

    // Killed while the app holds the connection between two queries: without a listener, an 'error' event nobody hears ends the process.
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    await admin.end();

    await eventually(() => expect(lost.map((e) => e.message).join()).toMatch(/terminat/));
    await expect(runner.query('SELECT 1')).rejects.toThrow();
    await runner.release();
    await expect(dataSource.query('SELECT 1 AS ok')).resolves.toEqual([{ ok: 1 }]);
  });
});
