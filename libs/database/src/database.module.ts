import { type DynamicModule, Logger } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import pg from 'pg';
import { DataSource, type DataSourceOptions, type EntitySchema, type MixedList } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@app/config';

export interface DatabaseOptions {
  /** Which connection URL of the config this app uses (each app may have its own server). */
  url: (config: AppConfig) => string;
  /** The app's own PostgreSQL schema; created if missing. */
  schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
}

/** Options of an app's data source: its schema and migrations, never synchronize. */
export function dataSourceOptions(options: DatabaseOptions, config: AppConfig): DataSourceOptions {
  return {
    type: 'postgres',
    url: options.url(config),
    schema: options.schema,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    migrationsRun: false,
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: config.DATABASE_LOG_QUERIES ? 'all' : ['error'],
    // search_path makes raw SQL in migrations and handlers land in the app's own schema.
    extra: { max: config.DATABASE_POOL_SIZE, application_name: options.schema, options: `-c search_path=${options.schema}` },
  };
}

/** Creates the schema before TypeORM looks for its migrations table there. */
export async function ensureSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema.replace(/"/g, '""')}"`);
  } catch (error) {
    // Two instances starting together may race on the catalog; the schema exists either way.
    if ((error as { code?: string }).code !== '23505') throw error;
  } finally {
    await client.end();
  }
}

/**
 * Runs pending migrations under a PostgreSQL advisory lock, so several instances of an app (or two
 * apps sharing a schema) starting together migrate once instead of racing.
 */
export async function migrate(dataSource: DataSource, schema: string): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [`migrations:${schema}`]);
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [`migrations:${schema}`]);
    await runner.release();
  }
}

/** The part of a pg pool this module touches: new clients, and those it already holds. */
interface ObservablePool {
  on(event: 'connect', listener: (client: pg.PoolClient) => void): unknown;
  _clients?: pg.PoolClient[];
}

/**
 * A pooled client whose connection dies while the app holds it between two queries (PostgreSQL
 * restarted, `pg_terminate_backend`) emits 'error' with nobody listening: pg-pool only listens to idle
 * clients, and an unheard 'error' event ends the process. Listening on every client turns that into a
 * failed request (the next query on it fails, its transaction rolls back) instead of a crash.
 */
export function keepClientErrorsFromCrashing(dataSource: DataSource, onError: (error: Error) => void): void {
  const pool = (dataSource.driver as unknown as { master?: ObservablePool }).master;
  if (pool === undefined) return;
  const listen = (client: pg.PoolClient) => {
    if (CLIENTS_HEARD.has(client)) return;
    CLIENTS_HEARD.add(client);
    client.on('error', onError);
  };
  pool.on('connect', listen);
  for (const client of pool._clients ?? []) listen(client);
}

const CLIENTS_HEARD = new WeakSet<pg.PoolClient>();

/** TypeORM on the app's own schema, migrated on start. */
export function databaseModule(options: DatabaseOptions): DynamicModule {
  return TypeOrmModule.forRootAsync({
    inject: [APP_CONFIG],
    useFactory: (config: AppConfig) => dataSourceOptions(options, config),
    dataSourceFactory: async (resolved) => {
      if (resolved === undefined) throw new Error('No data source options');
      await ensureSchema(String((resolved as { url: string }).url), options.schema);
      const dataSource = await new DataSource(resolved).initialize();
      const logger = new Logger(`database:${options.schema}`);
      keepClientErrorsFromCrashing(dataSource, (error) => logger.warn(`A database connection was lost: ${error.message}`));
      await migrate(dataSource, options.schema);
      return dataSource;
    },
  });
}
