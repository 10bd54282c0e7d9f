import type { AppConfig } from '@app/config';
import type { DatabaseOptions } from '@app/database';
import { CreateEventStore1732360000000 } from './migrations/1732360000000-create-event-store.js';
import { CreateReadModels1732360001000 } from './migrations/1732360001000-create-read-models.js';
import { ClientOrders1732360002000 } from './migrations/1732360002000-client-orders.js';
import { CreateParcelView1797000000000 } from './migrations/1797000000000-create-parcel-view.js';
import { StoreEventTraceContext1797000004000 } from './migrations/1797000004000-store-event-trace-context.js';
import { ParcelClientVersions1797000005000 } from './migrations/1797000005000-parcel-client-versions.js';

/**
 * The durable event store and the read models projected from it: written by the audit and
 * cqrs-projection workers, read by the event-store and checkout apps.
 */
export const EVENT_STORE_DATABASE: DatabaseOptions = {
  url: (config: AppConfig) => config.EVENT_STORE_DATABASE_URL,
  schema: 'event_store',
  entities: [],
  migrations: [
    CreateEventStore1732360000000,
    CreateReadModels1732360001000,
    ClientOrders1732360002000,
    CreateParcelView1797000000000,
    StoreEventTraceContext1797000004000,
    ParcelClientVersions1797000005000,
  ],
};
