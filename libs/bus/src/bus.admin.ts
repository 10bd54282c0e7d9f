import { type AppConfig } from '@app/config';
import { deadLetterStreamOf, eventStreamOf } from '@app/contracts';
import { JetStreamAdmin } from '@app/nats-jetstream';
import { type StoredDeadLetter, type StreamGroupStats, listDeadLetters, redriveAllDeadLetters, redriveDeadLetter, eventStreamGroupStats } from '@app/redis-streams';
import type { OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';

/** A stream of the bus as operators see it. */
export interface BusStreamSummary {
  /** Entries the bus holds now (trimmed or aged-out streams hold fewer than were ever published). */
  busLength: number;
  deadLetters: number;
  groups: StreamGroupStats[];
}

/**
 * What operators ask of the bus, whichever it is: its streams' consumer groups and dead letters, and
 * the redrive of a dead letter back onto its stream. Streams are named as `STREAMS` names them;
 * dead letters' `originalStream` too. On Redis, a stream's groups include those reading its type
 * streams, and a redrive puts a letter back on the copy its group read.
 */
export abstract class BusAdmin implements OnApplicationShutdown {
  abstract summary(stream: string): Promise<BusStreamSummary>;
  /** Oldest first, after the dead-letter id `after` (exclusive) when given. */
  abstract listDeadLetters(stream: string, options: { after?: string; limit: number }): Promise<StoredDeadLetter[]>;
  /** Resolves with the new entry id, or `undefined` when there is no such letter. */
  abstract redriveDeadLetter(stream: string, id: string): Promise<string | undefined>;
  abstract redriveAllDeadLetters(stream: string): Promise<number>;
  abstract close(): Promise<void>;

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }
}

class RedisBusAdmin extends BusAdmin {
  private readonly redis: Redis;

  constructor(
    url: string,
    private readonly prefix: string,
  ) {
    super();
    this.redis = new Redis(url, { maxRetriesPerRequest: 2 });
  }

  async summary(stream: string): Promise<BusStreamSummary> {
    const key = this.prefix + stream;
    const [busLength, deadLetters, groups] = await Promise.all([
      this.redis.xlen(key),
      this.redis.xlen(deadLetterStreamOf(key)),
      eventStreamGroupStats(this.redis, this.prefix, stream),
    ]);
    return { busLength, deadLetters, groups };
  }

  async listDeadLetters(stream: string, options: { after?: string; limit: number }): Promise<StoredDeadLetter[]> {
    const letters = await listDeadLetters(this.redis, this.prefix + stream, options);
    // A letter read from a type stream names the stream whose event it is, as on JetStream; the group says who gave up.
    return letters.map((letter) => ({ ...letter, originalStream: eventStreamOf(letter.originalStream.slice(this.prefix.length)) }));
  }

  redriveDeadLetter(stream: string, id: string): Promise<string | undefined> {
    return redriveDeadLetter(this.redis, this.prefix + stream, id);
  }

  redriveAllDeadLetters(stream: string): Promise<number> {
    return redriveAllDeadLetters(this.redis, this.prefix + stream);
  }

  close(): Promise<void> {
    this.redis.disconnect();
    return Promise.resolve();
  }
}

/** The admin of the configured bus. */
export async function createBusAdmin(config: AppConfig): Promise<BusAdmin> {
  // JetStreamAdmin has this shape already: stream names as `STREAMS` names them, summed per group.
  if (config.BUS === 'nats') return JetStreamAdmin.connect(config.NATS_URL, config.NATS_PREFIX);
  return new RedisBusAdmin(config.REDIS_URL, config.REDIS_KEY_PREFIX);
}
