import type { Redis } from 'ioredis';
import type { StreamsLogger } from './redis-streams.options.js';

/**
 * Collects the acknowledgements of handlers that finish in the same turn of the event loop and
 * sends them as one XACK per stream. A failed XACK is only logged: the entry stays pending and is
 * delivered again later, which at-least-once handlers already tolerate.
 */
export class AckBatcher {
  private waiting = new Map<string, string[]>();
  private next: Promise<void> | undefined;
  private readonly unsent = new Set<Promise<void>>();

  constructor(
    private readonly redis: Redis,
    private readonly group: string,
    private readonly logger: StreamsLogger,
  ) {}

  /** Resolves once the acknowledgement of `id` was sent (or failed and was logged). */
  ack(stream: string, id: string): Promise<void> {
    const ids = this.waiting.get(stream) ?? [];
    ids.push(id);
    this.waiting.set(stream, ids);
    this.next ??= this.track(new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.send()));
    return this.next;
  }

  /** Resolves once every acknowledgement asked for so far has been sent. */
  async flush(): Promise<void> {
    await Promise.all([...this.unsent]);
  }

  private track(batch: Promise<void>): Promise<void> {
    this.unsent.add(batch);
    void batch.finally(() => this.unsent.delete(batch));
    return batch;
  }

  private async send(): Promise<void> {
    const batch = this.waiting;
    this.waiting = new Map();
    this.next = undefined;
    await Promise.all(
      [...batch].map(([stream, ids]) =>
        this.redis.xack(stream, this.group, ...ids).then(
          () => undefined,
          (error: unknown) => this.logger.warn({ err: error, stream, ids }, 'XACK failed: the entries stay pending and will be delivered again'),
        ),
      ),
    );
  }
}
