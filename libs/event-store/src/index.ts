export { type IncomingEvent, type AppendResult, appendEvents } from './event-store.appender.js';
export { type StoredEvent, readStream, readAll, eventsOfCheckout, eventsOfCart, storedStreams } from './event-store.reader.js';
export { EVENT_STORE_DATABASE } from './event-store.database.js';
export { type ReadModel, READ_MODELS, checkoutStatusModel, ordersByClientModel, cartModel } from './read-models/read-model.definitions.js';
export { type ViewChange, projectEvents, projectEventsWithChanges } from './read-models/read-model.projector.js';
export { type CommitBatcherOptions, CommitBatcher } from './commit.batcher.js';
export { type StoreBatcher, type StreamItem, storeBatcher } from './store.batcher.js';
export { type RebuildReport, type RebuildOptions, rebuildReadModel } from './read-models/read-model.rebuilder.js';
export { ordersOfClient } from './read-models/client-orders.reader.js';
