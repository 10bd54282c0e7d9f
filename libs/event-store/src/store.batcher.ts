import type { AppConfig } from '@app/config';
import { histogram } from '@app/observability';
import { RetriableError } from '@app/redis-streams';
import { CommitBatcher } from './commit.batcher.js';

/** How long a lone event waits for others before its write starts. */
const LINGER_MS = 5;

/** A {@link CommitBatcher} for the handlers of a stream consumer. */
export interface StoreBatcher<T> {
  /** Resolves once `item` is committed; rejects with a {@link RetriableError}, so its entry stays pending. */
  add(item: T): Promise<void>;
}

/**
 * Group commit sized for a stream consumer writing to the event store: a batch holds at most what
 * the transport keeps in flight (STREAM_MAX_IN_FLIGHT) and a lone event waits a few ms. A failed
 * write is transient for the transport: the entry is delivered again, and the write is idempotent.
 */
export function storeBatcher<T>(config: AppConfig, what: string, commit: (items: T[]) => Promise<void>): StoreBatcher<T> {
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
  });
  return {
    add: (item) =>
      batcher.add(item).catch((error: unknown) => {
        throw new RetriableError(`${what} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }),
  };
}
