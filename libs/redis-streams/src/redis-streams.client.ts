import { createLogger } from '@app/observability';
import { ClientProxy, type MsPattern, type ReadPacket, type WritePacket } from '@nestjs/microservices';
import type { Redis } from 'ioredis';
import { EventPublisher } from './event.publisher.js';
import { closeConnection, createRedisConnection } from './redis.connection.js';
import type { StreamsLogger } from './redis-streams.options.js';
import { isEnvelope } from './stream-entry.codec.js';

export interface RedisStreamsClientOptions {
  url: string;
  keyPrefix?: string;
  /** Names the connection; envelopes carry their own producer. */
  producer: string;
  logger?: StreamsLogger;
}

/**
 * A Nest `ClientProxy` for code written against `client.emit(type, envelope)`: the data must be the
 * full `EventEnvelope` of that type. Events only: request-response (`send`) is not supported, as
 * choreography never waits for a reply. Typed code should prefer {@link EventPublisher}.
 */
export class RedisStreamsClient extends ClientProxy {
  private publisher: EventPublisher | undefined;

  constructor(private readonly options: RedisStreamsClientOptions) {
    super();
  }

  async connect(): Promise<Redis> {
    const { redis } = this.ensurePublisher();
    if (redis.status === 'wait') await redis.connect();
    return redis;
  }

  async close(): Promise<void> {
    const redis = this.publisher?.redis;
    this.publisher = undefined;
    if (redis !== undefined) await closeConnection(redis);
  }

  unwrap<T = Redis>(): T {
    if (this.publisher === undefined) throw new Error('RedisStreamsClient is not connected');
    return this.publisher.redis as T;
  }

  protected async dispatchEvent<T = string>(packet: ReadPacket): Promise<T> {
    const type = this.normalizePattern(packet.pattern as MsPattern);
    const envelope: unknown = packet.data;
    if (!isEnvelope(envelope) || envelope.type !== type) {
      throw new Error(`RedisStreamsClient.emit('${type}', data): data must be the EventEnvelope of a '${type}' event`);
    }
    return (await this.ensurePublisher().publishEnvelope(envelope)) as T;
  }

  private ensurePublisher(): EventPublisher {
    const { url, keyPrefix, producer, logger } = this.options;
    this.publisher ??= new EventPublisher({
      redis: createRedisConnection(url, `client:${producer}`, logger ?? createLogger('redis-streams', 'info')),
      keyPrefix,
      producer,
    });
    return this.publisher;
  }

  protected publish(_packet: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    callback({ err: new Error('RedisStreamsClient does not support request-response (send); publish events with emit'), isDisposed: true });
    return () => undefined;
  }
}
