import type { AppConfig } from '@app/config';
import { CommitBatcher } from '@app/database';
import { histogram } from '@app/observability';
import { RetriableError, compareEntryIds } from '@app/redis-streams';

/** How long a lone event waits for others before its write starts. */
const LINGER_MS = 5;

/** What a store writer batches: something read from a stream entry, and that entry's id. */
export interface StreamItem {
  /** The stream entry id (`RedisStreamsContext.getEntryId()`). */
  entryId: string;
}

/** A {@link CommitBatcher} for the handlers of a stream consumer. */
export interface StoreBatcher<T extends StreamItem> {
  /** Resolves once `item` is committed; rejects with a {@link RetriableError}, so its entry stays pending. */
  add(item: T): Promise<void>;
}

/**
 * Group commit sized for a stream consumer writing to the event store: a batch holds at most what
 * the transport keeps in flight (STREAM_MAX_IN_FLIGHT) and a lone event waits a few ms. Each batch
 * is written in stream order (by entry id; entries of several streams by the time Redis stamped
 * them), whatever order the handlers finished in, so a transport that hands over every entry in
 * flight at once (`ordering: 'none'`) still stores and folds the events of a checkout in order.
 * A failed write is transient for the transport: the entry is delivered again, and the write is
 * idempotent.
 */
export function storeBatcher<T extends StreamItem>(config: AppConfig, what: string, commit: (items: T[]) => Promise<void>): StoreBatcher<T> {
  const sizes = histogram({
    name: 'event_store_batch_size',
    help: 'Events written by one transaction of a store writer',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
  });
  const batcher = new CommitBatcher<T>({
    commit: async (items) => {
      await commit(items);
      sizes.observe(items.length);
    },
    maxBatch: config.STREAM_MAX_IN_FLIGHT,
    lingerMs: LINGER_MS,
    order: (a, b) => compareEntryIds(a.entryId, b.entryId),
  });
  return {
    add: (item) =>
      batcher.add(item).catch((error: unknown) => {
        throw new RetriableError(`${what} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }),
  };
}
