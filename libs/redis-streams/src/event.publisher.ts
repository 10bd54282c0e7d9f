import { RetriableError, type StreamsLogger, describeError } from '@app/bus-delivery';
import { type AnyEvent, type EventEnvelope, type EventMap, type EventType, STREAM_OF, appendStreamsOf, createEnvelope } from '@app/contracts';
import { createLogger } from '@app/observability';
import type { OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { closeConnection, createRedisConnection } from './redis.connection.js';
import { streamMetrics } from './redis-streams.metrics.js';
import { encodeEnvelope } from './stream-entry.codec.js';

export interface EventPublisherOptions {
  /** A connection to use (left open by `close()`), or a URL to open one of its own. */
  redis: Redis | string;
  /** Prepended to the stream names. */
  keyPrefix?: string;
  /** The `producer` of the envelopes `publish` creates (usually the app's name). */
  producer: string;
  logger?: StreamsLogger;
}

/** What `publish` needs besides the payload; `eventId` should be deterministic in handlers (see `deterministicEventId`). */
export interface PublishContext {
  correlationId: string;
  causationId?: string | null;
  eventId?: string;
  /** Overrides the publisher's producer. */
  producer?: string;
}

/**
 * Appends events to their streams (`STREAM_OF[type]`, with the key prefix), typed by `EventMap`:
 * a payload that does not match its type does not compile. An event of a type with a type stream
 * (`TYPE_STREAM_TYPES`) is appended to that too, in the same MULTI, for the workers of that type
 * (ADR 0019). Each entry holds the envelope as JSON in `event` and its type in `type` ({@link encodeEnvelope}). Streams are not capped here: consumers
 * trim them without dropping entries a group still needs. A failed append rejects with a
 * {@link RetriableError}: the bus was away, so a handler publishing its outcome gets its own event
 * delivered again rather than dead-lettered.
 */
export class EventPublisher implements OnApplicationShutdown {
  /** The connection the publisher writes with. */
  readonly redis: Redis;
  private readonly ownsConnection: boolean;
  private readonly keyPrefix: string;
  private readonly producer: string;
  private readonly metrics = streamMetrics();

  constructor(options: EventPublisherOptions) {
    this.ownsConnection = typeof options.redis === 'string';
    this.redis =
      typeof options.redis === 'string'
        ? createRedisConnection(options.redis, `publisher:${options.producer}`, options.logger ?? createLogger('redis-streams', 'info'))
        : options.redis;
    this.keyPrefix = options.keyPrefix ?? '';
    this.producer = options.producer;
  }

  /** Wraps `payload` in a new envelope and appends it; resolves with the envelope once stored. */
  async publish<T extends EventType>(type: T, payload: EventMap[T], context: PublishContext): Promise<EventEnvelope<T>> {
    const envelope = createEnvelope(type, payload, { ...context, producer: context.producer ?? this.producer });
    await this.append([envelope]);
    return envelope;
  }

  /** Appends an envelope as it is (a relayed or replayed event); resolves with its entry id on its stream. */
  async publishEnvelope<T extends EventType>(envelope: EventEnvelope<T>): Promise<string> {
    const [id] = await this.append([envelope]);
    return id ?? '';
  }

  /**
   * Appends several envelopes, possibly to several streams, in one round trip and one MULTI: either
   * all are stored or none (a handler's outcome events go out together). Resolves with their ids.
   */
  publishMany(envelopes: readonly AnyEvent[]): Promise<string[]> {
    return this.append(envelopes);
  }

  /** Closes the connection if the publisher opened it. */
  async close(): Promise<void> {
    if (this.ownsConnection) await closeConnection(this.redis);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }

  private async append(envelopes: readonly EventEnvelope[]): Promise<string[]> {
    if (envelopes.length === 0) return [];
    const multi = this.redis.multi();
    /** The index of each envelope's reply for its entry on its stream (its type stream copy comes next). */
    const idAt: number[] = [];
    let commands = 0;
    for (const envelope of envelopes) {
      const fields = encodeEnvelope(envelope);
      idAt.push(commands);
      for (const stream of appendStreamsOf(envelope.type)) {
        multi.xadd(`${this.keyPrefix}${stream}`, '*', ...fields);
        commands += 1;
      }
    }
    let replies: [error: Error | null, result: unknown][];
    try {
      replies = (await multi.exec()) ?? [];
      const failure = replies.find(([error]) => error !== null)?.[0];
      if (failure) throw failure;
    } catch (error) {
      throw new RetriableError(`Publishing ${envelopes.length} event(s) failed: ${describeError(error)}`, { cause: error });
    }
    for (const envelope of envelopes) this.metrics.published.inc({ topic: STREAM_OF[envelope.type], type: envelope.type });
    return idAt.map((at) => String(replies[at]?.[1]));
  }
}
