import { DeliveryServer } from '@app/bus-delivery';
import { registerStreamGroupGauges } from '@app/redis-streams';
import type { NatsConnection } from '@nats-io/transport-node';
import { JetStreamAdmin } from './jetstream.admin.js';
import { JetStreamConsumer, eventTypesOf } from './jetstream.consumer.js';
import { type JetStreamServerOptions, type ResolvedJetStreamOptions, resolveJetStreamOptions } from './jetstream.options.js';

/** Transport id of {@link JetStreamServer}, the transport Nest names when it runs the handlers' hooks. */
export const NATS_JETSTREAM_TRANSPORT = Symbol('NATS_JETSTREAM');

export type JetStreamStatus = 'connected' | 'disconnected' | 'reconnecting' | 'closed';

/**
 * A Nest microservice transport over NATS JetStream with the contract of the Redis Streams one: the
 * same `@OnEvent` / `@OnAnyEvent` handlers, the same context (`RedisStreamsContext`: stream, entry
 * id, attempt, group), the same delivery policy, ordering per correlation id, in-flight bound and
 * drain. Each app is a durable consumer per stream (or per event type, when it takes only some
 * types of a stream), filtered by subject, so it receives only what it handles; instances of one
 * app pull from the same consumers and compete for messages.
 *
 * @example
 * app.connectMicroservice({ strategy: new JetStreamServer(jetStreamOptionsFromConfig(config, { group: 'payment' })) });
 */
export class JetStreamServer extends DeliveryServer<JetStreamStatus, ResolvedJetStreamOptions> {
  override transportId = NATS_JETSTREAM_TRANSPORT;
  private consumer: JetStreamConsumer | undefined;
  private stopGauges: (() => void) | undefined;

  constructor(options: JetStreamServerOptions) {
    super('nats', resolveJetStreamOptions(options));
  }

  protected async start(): Promise<void> {
    const streams = this.streamsToRead();
    const consumer = new JetStreamConsumer(
      { ...this.options, streams },
      {
        handles: (type) => this.handles(type),
        everyTypeOf: (stream) => this.handlesEveryType || eventTypesOf(stream).every((type) => this.hasHandler(type)),
        typesOf: (stream) => eventTypesOf(stream).filter((type) => this.hasHandler(type)),
        handle: (envelope, delivery) => this.invoke(envelope, delivery),
      },
    );
    this.consumer = consumer;
    const connection = await consumer.start();
    this.watchStatus(connection);
    // The same lag and pending gauges as on Redis, read from the consumers' info at scrape time.
    const admin = await JetStreamAdmin.over(connection, this.options.prefix);
    this.stopGauges = registerStreamGroupGauges({ statsOf: async (topic) => (await admin.summary(topic)).groups, streams, group: this.options.group });
    this.options.logger.info(
      { group: this.options.group, consumer: this.options.consumer, streams, consumers: consumer.subscriptions() },
      'Pulling from JetStream',
    );
  }

  private watchStatus(connection: NatsConnection): void {
    this._status$.next('connected');
    void (async () => {
      for await (const status of connection.status()) {
        if (status.type === 'disconnect') this._status$.next('disconnected');
        else if (status.type === 'reconnecting') this._status$.next('reconnecting');
        else if (status.type === 'reconnect') this._status$.next('connected');
      }
    })();
  }

  /** Stops pulling, drains running handlers (up to `drainMs`) and closes the connection. */
  protected async stop(): Promise<void> {
    this.stopGauges?.();
    await this.consumer?.stop();
  }
}
