import { type AnyEvent, EVENT_TYPES, type EventType, STREAM_OF, traceCarrierOf } from '@app/contracts';
import { traceEventHandling } from '@app/observability';
import { RedisStreamsContext, registerStreamGroupGauges, tracedDelivery } from '@app/redis-streams';
import { type CustomTransportStrategy, type MessageHandler, Server } from '@nestjs/microservices';
import type { NatsConnection } from '@nats-io/transport-node';
import { isObservable, lastValueFrom } from 'rxjs';
import { JetStreamAdmin } from './jetstream.admin.js';
import { type JetStreamDelivery, JetStreamConsumer, eventTypesOf } from './jetstream.consumer.js';
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
export class JetStreamServer extends Server<Record<never, never>, JetStreamStatus> implements CustomTransportStrategy {
  override transportId = NATS_JETSTREAM_TRANSPORT;
  override readonly propagatesEventHandlerErrors = true;
  private readonly options: ResolvedJetStreamOptions;
  private consumer: JetStreamConsumer | undefined;
  private readonly handlers = new Map<string, MessageHandler>();
  private everyType = false;
  private stopGauges: (() => void) | undefined;

  constructor(options: JetStreamServerOptions) {
    super();
    this.options = resolveJetStreamOptions(options);
  }

  listen(callback: (error?: unknown) => void): void {
    this.start().then(
      () => callback(),
      (error: unknown) => callback(error),
    );
  }

  /** Stops pulling, drains running handlers (up to `drainMs`) and closes the connection. */
  async close(): Promise<void> {
    this.stopGauges?.();
    await this.consumer?.stop();
    this._status$.next('closed');
  }

  on(event: never): never {
    throw new Error(`JetStreamServer emits no events (asked for ${String(event)}): see its metrics`);
  }

  unwrap<T>(): T {
    throw new Error('JetStreamServer does not expose its connection');
  }

  private async start(): Promise<void> {
    this.indexHandlers();
    const streams = this.options.streams ?? this.handledStreams();
    if (streams.length === 0) throw new Error(`JetStreamServer(${this.options.group}): no stream to read (no @EventPattern handler for a known event type)`);
    const consumer = new JetStreamConsumer(
      { ...this.options, streams },
      {
        // As on Redis, the audit (every type) also takes types nobody knows, to dead-letter them as poison.
        handles: (type) => this.handlers.has(type) || (this.everyType && !Object.hasOwn(STREAM_OF, type)),
        everyTypeOf: (stream) => this.everyType || eventTypesOf(stream).every((type) => this.handlers.has(type)),
        typesOf: (stream) => eventTypesOf(stream).filter((type) => this.handlers.has(type)),
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

  private indexHandlers(): void {
    this.handlers.clear();
    for (const type of EVENT_TYPES) {
      const handler = this.getHandlerByPattern(type);
      if (handler !== null) this.handlers.set(type, handler);
    }
    this.everyType = this.handlers.size === EVENT_TYPES.length;
  }

  private handledStreams(): string[] {
    const patterns = [...this.messageHandlers.keys()];
    const types = patterns.filter((pattern): pattern is EventType => Object.hasOwn(STREAM_OF, pattern));
    const unknown = patterns.filter((pattern) => !Object.hasOwn(STREAM_OF, pattern));
    if (unknown.length > 0) this.options.logger.warn({ patterns: unknown }, 'Patterns that are not event types are never called by this transport');
    return [...new Set(types.map((type) => STREAM_OF[type]))];
  }

  /** Calls the handler inside Nest's processing hooks and waits for its outcome, as the Redis transport does. */
  private invoke(envelope: AnyEvent, delivery: JetStreamDelivery): Promise<void> {
    const handler = this.handlers.get(envelope.type);
    if (handler === undefined) return Promise.resolve();
    const context = new RedisStreamsContext([delivery.topic, delivery.id, delivery.attempt, this.options.group]);
    return new Promise<void>((resolve, reject) => {
      this.onProcessingStartHook(this.transportId, context, async () => {
        const end = this.createProcessingEndHookRunner(context);
        try {
          // Continues the trace of whoever created the event (its traceContext), when tracing is on.
          const traced = tracedDelivery('nats', delivery.topic, this.options.group, delivery.attempt, envelope);
          await traceEventHandling(envelope, traceCarrierOf(envelope), traced, async () => {
            const result: unknown = await handler(envelope, context);
            if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
          });
          resolve();
        } catch (error) {
          // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- handlers fail with anything; the error policy judges it
          reject(error);
        } finally {
          end();
        }
      });
    });
  }
}
