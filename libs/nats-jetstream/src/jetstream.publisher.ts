import { RetriableError, describeError } from '@app/bus-delivery';
import { type AnyEvent, type EventEnvelope, type EventMap, type EventType, STREAM_OF, createEnvelope } from '@app/contracts';
import { type PublishContext, streamMetrics } from '@app/redis-streams';
import { type JetStreamClient, type JetStreamManager, jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { JetStreamNames, entryIdOf } from './jetstream.names.js';
import { type StreamSettings, connectNats, ensureStreams } from './jetstream.setup.js';

export interface JetStreamPublisherOptions extends StreamSettings {
  /** `nats://host:port`, several separated by commas. */
  url: string;
  /** Prepended to stream and subject names. */
  prefix?: string;
  /** The `producer` of the envelopes `publish` creates (usually the app's name). */
  producer: string;
}

/**
 * Publishes events on JetStream, one subject per event type (`<prefix><stream>.<Type>`), with the
 * same API as the Redis `EventPublisher`. Each message carries the envelope as JSON and its
 * `eventId` as JetStream message id, so a second publish of an event within the streams' duplicate
 * window (a handler or outbox relay that crashed after publishing and ran again) is dropped by the
 * server. A failed publish rejects with a {@link RetriableError}, as on Redis.
 *
 * `publishMany` sends its messages in order on one connection and waits for every acknowledgement;
 * unlike the Redis MULTI it is not all-or-nothing, but a failure fails the handler, whose retry
 * publishes the same eventIds again and JetStream keeps each once.
 */
export class JetStreamPublisher {
  private readonly metrics = streamMetrics();
  private readonly js: JetStreamClient;

  private constructor(
    readonly connection: NatsConnection,
    readonly jsm: JetStreamManager,
    readonly names: JetStreamNames,
    private readonly producer: string,
  ) {
    this.js = jetstream(connection);
  }

  /** Connects and makes sure the streams exist. */
  static async connect(options: JetStreamPublisherOptions): Promise<JetStreamPublisher> {
    const connection = await connectNats(options.url, `publisher:${options.producer}`);
    try {
      const jsm = await jetstreamManager(connection);
      const names = new JetStreamNames(options.prefix ?? '');
      await ensureStreams(jsm, names, options);
      return new JetStreamPublisher(connection, jsm, names, options.producer);
    } catch (error) {
      await connection.close();
      throw error;
    }
  }

  /** Wraps `payload` in a new envelope and publishes it; resolves with the envelope once stored. */
  async publish<T extends EventType>(type: T, payload: EventMap[T], context: PublishContext): Promise<EventEnvelope<T>> {
    const envelope = createEnvelope(type, payload, { ...context, producer: context.producer ?? this.producer });
    await this.send([envelope]);
    return envelope;
  }

  /** Publishes an envelope as it is (a relayed or replayed event); resolves with its entry id. */
  async publishEnvelope<T extends EventType>(envelope: EventEnvelope<T>): Promise<string> {
    const [id] = await this.send([envelope]);
    return id ?? '';
  }

  /** Publishes several envelopes in order; resolves with their entry ids once all are stored. */
  publishMany(envelopes: readonly AnyEvent[]): Promise<string[]> {
    return this.send(envelopes);
  }

  /** Drains and closes the connection. */
  async close(): Promise<void> {
    if (this.connection.isClosed()) return;
    await this.connection.drain().catch(() => this.connection.close());
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }

  private async send(envelopes: readonly EventEnvelope[]): Promise<string[]> {
    if (envelopes.length === 0) return [];
    let ids: string[];
    try {
      // Issued together, they still reach the server in this order: one connection keeps it.
      const acks = await Promise.all(
        envelopes.map((envelope) =>
          this.js.publish(this.names.subjectOf(STREAM_OF[envelope.type], envelope.type), JSON.stringify(envelope), { msgID: envelope.eventId }),
        ),
      );
      ids = acks.map((ack) => entryIdOf(BigInt(Date.now()) * 1_000_000n, ack.seq));
    } catch (error) {
      throw new RetriableError(`Publishing ${envelopes.length} event(s) failed: ${describeError(error)}`, { cause: error });
    }
    for (const envelope of envelopes) this.metrics.published.inc({ topic: STREAM_OF[envelope.type], type: envelope.type });
    return ids;
  }
}
