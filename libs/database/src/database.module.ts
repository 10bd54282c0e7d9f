import type { DynamicModule } from '@nestjs/common';
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

/** TypeORM on the app's own schema, migrated on start. */
export function databaseModule(options: DatabaseOptions): DynamicModule {
  return TypeOrmModule.forRootAsync({
    inject: [APP_CONFIG],
    useFactory: (config: AppConfig) => dataSourceOptions(options, config),
    dataSourceFactory: async (resolved) => {
      if (resolved === undefined) throw new Error('No data source options');
      await ensureSchema(String((resolved as { url: string }).url), options.schema);
      const dataSource = await new DataSource(resolved).initialize();
      await migrate(dataSource, options.schema);
      return dataSource;
    },
  });
}
