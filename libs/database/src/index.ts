export { type DatabaseOptions, dataSourceOptions, ensureSchema, migrate, databaseModule, keepClientErrorsFromCrashing } from './database.module.js';
export { rowsOf } from './rows-of.js';
export { type PreparedStatement, runPrepared } from './prepared-statement.js';
export { type OutboxRelayOptions, type PublishBatch, OutboxRelay } from './outbox.relay.js';
export { outboxNotifyTrigger } from './outbox.trigger.js';
export { type CommitBatcherOptions, CommitBatcher } from './commit.batcher.js';
