import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { dataSourceOptions, ensureSchema, migrate } from '@app/database';
import { EVENT_STORE_DATABASE } from '@app/event-store';

/** Injection token of the connection to the event-store database, where the parcels read model lives. */
export const PARCEL_READ_MODEL = Symbol('PARCEL_READ_MODEL');

/**
 * The read side of the shipping app: the parcels read model is kept by the cqrs-projection worker in
 * the event-store database, beside the other read models, and rebuilt from the durable store like
 * them. The shipping app only reads it (migrating first, as every user of that schema does, so it
 * can start before the projector).
 */
export const parcelReadModelProvider = {
  provide: PARCEL_READ_MODEL,
  inject: [APP_CONFIG],
  useFactory: async (config: AppConfig): Promise<DataSource> => {
    await ensureSchema(config.EVENT_STORE_DATABASE_URL, EVENT_STORE_DATABASE.schema);
    const db = await new DataSource(dataSourceOptions(EVENT_STORE_DATABASE, config)).initialize();
    await migrate(db, EVENT_STORE_DATABASE.schema);
    return db;
  },
};

/** Closes the read-model connection when the app stops. */
@Injectable()
export class ParcelReadModelCloser implements OnApplicationShutdown {
  constructor(@Inject(PARCEL_READ_MODEL) private readonly db: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.db.isInitialized) await this.db.destroy();
  }
}
