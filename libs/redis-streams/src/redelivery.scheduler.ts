import type { StreamsLogger } from '@app/bus-delivery';
import type { Redis } from 'ioredis';
import type { Delivery, RawEntry } from './stream.delivery.js';

/**
 * Takes an entry back for its next delivery if this consumer still holds it: XCLAIM counts the
 * delivery and returns the entry. In one script, so an entry another consumer claimed meanwhile
 * (this one froze past the claim idle time) is left to that consumer.
 */
const RECLAIM_SCRIPT = `
local pending = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[3], ARGV[3], 1)
if #pending == 0 or pending[1][2] ~= ARGV[2] then return false end
return {pending[1][4] + 1, redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[3])}
`;

export interface RedeliveryDependencies {
  commands: Redis;
  group: string;
  consumer: string;
  logger: StreamsLogger;
  /** Hands the entry over for its next delivery. */
  redeliver(delivery: Delivery): void;
  /** The entry is no longer this consumer's to deliver again (claimed elsewhere, gone, or Redis away). */
  forget(delivery: Delivery): void;
}

/**
 * Delivers again, after the delay the delivery policy gave, the entries whose handler failed with
 * a `RetriableError`. While it waits, the entry stays pending and held by this consumer (whose
 * heartbeat keeps it from looking abandoned), so no other consumer takes it before its time.
 */
export class RedeliveryScheduler {
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(private readonly deps: RedeliveryDependencies) {}

  /** Delivers the entry of `delivery` again in `afterMs`. */
  schedule(failed: Delivery, afterMs: number): void {
    if (this.stopped) return this.deps.forget(failed);
    // The entry comes back with its fields from XCLAIM: no need to hold them while waiting.
    const delivery: Delivery = { ...failed, fields: null };
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.reclaim(delivery);
    }, afterMs);
    this.timers.add(timer);
  }

  /** Cancels the waits: their entries stay pending, for this consumer's next start or another consumer's claim. */
  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private async reclaim(delivery: Delivery): Promise<void> {
    const { commands, group, consumer, logger } = this.deps;
    try {
      const reply = (await commands.eval(RECLAIM_SCRIPT, 1, delivery.stream, group, consumer, delivery.id)) as [number, RawEntry[]] | null;
      const entry = reply?.[1][0];
      if (reply === null || entry === undefined || this.stopped) return this.deps.forget(delivery);
      this.deps.redeliver({ ...delivery, fields: entry[1], attempt: Number(reply[0]) });
    } catch (error) {
      // Left pending and no longer refreshed: it is claimed, here or elsewhere, once idle for the claim idle time.
      logger.warn({ err: error, topic: delivery.topic, entryId: delivery.id }, 'Taking an entry back for its next delivery failed; it will be claimed instead');
      this.deps.forget(delivery);
    }
  }
}
