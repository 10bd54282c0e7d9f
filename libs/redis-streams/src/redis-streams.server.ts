import { DeliveryServer } from '@app/bus-delivery';
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
 * Each app is one consumer group, so every app sees every event, and instances of one app compete
 * for entries. An entry is acknowledged only once its handler's promise or observable succeeded; a
 * failure is delivered again or dead-lettered as the delivery policy says (`verdictOnFailure`);
 * entries of a crashed consumer are claimed after `claimIdleMs`, and the consumer is removed once
 * it holds nothing; entries with the same `correlationId` are handled one after the other in stream
 * order (unless `ordering` is `none`). Entries of types the app does not handle are acknowledged
 * without being parsed. Dead letters, redeliveries, lag and pending entries are metrics.
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

  /** Stops reading, drains running handlers (up to `drainMs`), acknowledges them and disconnects. */
  protected async stop(): Promise<void> {
    this.stopGauges?.();
    await this.consumer?.stop();
  }
}
