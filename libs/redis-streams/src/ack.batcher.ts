import type { StreamsLogger } from '@app/bus-delivery';
import type { Redis } from 'ioredis';

/** How long an acknowledgement nobody waits for may wait for company. */
const LATER_MS = 100;
/** Acknowledgements nobody waits for that are sent at once, whatever the time. */
const LATER_MAX = 1_000;

/**
 * Collects the acknowledgements of handlers that finish in the same turn of the event loop and
 * sends them as one XACK per stream. Entries skipped unread (a type the group does not handle) are
 * acknowledged {@link ackLater}: they ride with the next batch, so a group that handles few of the
 * entries it reads does not pay a round trip per read for the others. A failed XACK is only logged:
 * the entry stays pending and is delivered again later, which at-least-once handlers already tolerate.
 */
export class AckBatcher {
  private waiting = new Map<string, string[]>();
  private waitingCount = 0;
  private next: Promise<void> | undefined;
  private later: NodeJS.Timeout | undefined;
  private readonly unsent = new Set<Promise<void>>();

  constructor(
    private readonly redis: Redis,
    private readonly group: string,
    private readonly logger: StreamsLogger,
  ) {}

  /** Resolves once the acknowledgement of `id` was sent (or failed and was logged). */
  ack(stream: string, id: string): Promise<void> {
    this.add(stream, id);
    return this.sendSoon();
  }

  /**
   * Acknowledges `id` with the next batch, or within {@link LATER_MS} if none comes: for entries
   * no handler waits on. Until then the entry stays pending, far below the claim idle time.
   */
  ackLater(stream: string, id: string): void {
    this.add(stream, id);
    if (this.waitingCount >= LATER_MAX) void this.sendSoon();
    else if (this.next === undefined) this.later ??= setTimeout(() => void this.sendSoon(), LATER_MS);
  }

  /** Sends what waits, and resolves once every acknowledgement asked for so far has been sent. */
  async flush(): Promise<void> {
    if (this.waitingCount > 0) void this.sendSoon();
    await Promise.all([...this.unsent]);
  }

  private add(stream: string, id: string): void {
    const ids = this.waiting.get(stream);
    if (ids === undefined) this.waiting.set(stream, [id]);
    else ids.push(id);
    this.waitingCount += 1;
  }

  private sendSoon(): Promise<void> {
    this.next ??= this.track(new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.send()));
    return this.next;
  }

  private track(batch: Promise<void>): Promise<void> {
    this.unsent.add(batch);
    void batch.finally(() => this.unsent.delete(batch));
    return batch;
  }

  private async send(): Promise<void> {
    const batch = this.waiting;
    this.waiting = new Map();
    this.waitingCount = 0;
    this.next = undefined;
    clearTimeout(this.later);
    this.later = undefined;
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
