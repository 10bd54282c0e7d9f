import { DeliveryServer } from '@app/bus-delivery';
import { type EventType, STREAM_OF, TYPE_STREAM_TYPES, typeStreamOf } from '@app/contracts';
import { type RedisStreamsServerOptions, type ResolvedServerOptions, resolveServerOptions } from './redis-streams.options.js';
import { registerStreamGroupGauges } from './stream-group.gauges.js';
import { StreamConsumer } from './stream.consumer.js';

/** Transport id of {@link RedisStreamsServer}, the transport Nest names when it runs the handlers' hooks. */
export const REDIS_STREAMS_TRANSPORT = Symbol('REDIS_STREAMS');

export type RedisStreamsStatus = 'connected' | 'disconnected' | 'closed';

/**
 * A Nest microservice transport over Redis Streams: `@OnEvent('StockReserved')` (and `@OnAnyEvent()`)
 * handlers of the app receive the full `EventEnvelope` of each event on the streams of their types.
 * A bare `@EventPattern('StockReserved')` works too, unchecked by the compiler.
 *
 * Each app is one consumer group, so every app sees every event of its types, and instances of one
 * app compete for entries. A worker whose types all have type streams (`TYPE_STREAM_TYPES`) reads
 * only those, so it is not woken by other events; an app that handles every type reads the whole
 * streams, in the order events were appended (ADR 0019). An entry is acknowledged only once its
 * handler's promise or observable succeeded; a failure is delivered again or dead-lettered as the
 * delivery policy says (`verdictOnFailure`); entries of a crashed consumer are claimed after
 * `claimIdleMs`, and the consumer is removed once it holds nothing; entries with the same
 * `correlationId` are handled one after the other in the order they were appended (unless `ordering`
 * is `none`). Entries of types the app does not handle are acknowledged without being parsed. Dead letters, redeliveries, lag and pending entries are metrics.
 *
 * @example
 * app.connectMicroservice({ strategy: new RedisStreamsServer(serverOptionsFromConfig(config, { group: 'payment' })) });
 */
export class RedisStreamsServer extends DeliveryServer<RedisStreamsStatus, ResolvedServerOptions> {
  override transportId = REDIS_STREAMS_TRANSPORT;
  private consumer: StreamConsumer | undefined;
  private stopGauges: (() => void) | undefined;

  constructor(options: RedisStreamsServerOptions) {
    super('redis', resolveServerOptions(options));
  }

  protected async start(): Promise<void> {
    const streams = this.streamsToRead();
    const consumer = new StreamConsumer(
      { ...this.options, streams },
      {
        handles: (type) => this.handles(type),
        handle: (envelope, delivery) => this.invoke(envelope, delivery),
      },
    );
    this.consumer = consumer;
    consumer.reader.on('ready', () => this._status$.next('connected'));
    consumer.reader.on('close', () => this._status$.next('disconnected'));
    await consumer.start();
    this.stopGauges = registerStreamGroupGauges({ redis: consumer.commands, keyPrefix: this.options.keyPrefix, streams, group: this.options.group });
    this.options.logger.info({ group: this.options.group, consumer: this.options.consumer, streams }, 'Reading streams');
  }

  /**
   * Per stream, the type streams of the handled types when each has one, else the whole stream (never
   * both: a group would get those events twice). An app that handles every type reads whole streams.
   */
  protected override streamsOfTypes(types: readonly EventType[]): string[] {
    if (this.handlesEveryType) return super.streamsOfTypes(types);
    const byStream = new Map<string, EventType[]>();
    for (const type of types) byStream.set(STREAM_OF[type], [...(byStream.get(STREAM_OF[type]) ?? []), type]);
    return [...byStream].flatMap(([stream, ofStream]) => (ofStream.every((type) => TYPE_STREAM_TYPES.has(type)) ? ofStream.map(typeStreamOf) : [stream]));
  }

  /** Stops reading, drains running handlers (up to `drainMs`), acknowledges them and disconnects. */
  protected async stop(): Promise<void> {
    this.stopGauges?.();
    await this.consumer?.stop();
  }
}
