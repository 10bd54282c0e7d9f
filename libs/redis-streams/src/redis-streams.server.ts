import { type AnyEvent, EVENT_TYPES, type EventType, STREAM_OF, STREAMS, traceCarrierOf } from '@app/contracts';
import { type EventDelivery, traceEventHandling } from '@app/observability';
import { type CustomTransportStrategy, type MessageHandler, Server } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';
import { RedisStreamsContext } from './redis-streams.context.js';
import { type RedisStreamsServerOptions, type ResolvedServerOptions, resolveServerOptions } from './redis-streams.options.js';
import { registerStreamGroupGauges } from './stream-group.gauges.js';
import { StreamConsumer } from './stream.consumer.js';
import type { Delivery } from './stream.delivery.js';

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
export class RedisStreamsServer extends Server<Record<never, never>, RedisStreamsStatus> implements CustomTransportStrategy {
  override transportId = REDIS_STREAMS_TRANSPORT;
  /** Handler failures come back to this transport, which retries or dead-letters them. */
  override readonly propagatesEventHandlerErrors = true;
  private readonly options: ResolvedServerOptions;
  private consumer: StreamConsumer | undefined;
  /** Each handled event type's handler, looked up once at start: Nest's own lookup parses the pattern as JSON every time. */
  private readonly handlers = new Map<string, MessageHandler>();
  /** Whether the app handles every event type (the audit): it then also takes entries of types nobody knows. */
  private everyType = false;
  private stopGauges: (() => void) | undefined;

  constructor(options: RedisStreamsServerOptions) {
    super();
    this.options = resolveServerOptions(options);
  }

  /** Called by Nest once the handlers are registered. */
  listen(callback: (error?: unknown) => void): void {
    this.start().then(
      () => callback(),
      (error: unknown) => callback(error),
    );
  }

  /** Stops reading, drains running handlers (up to `drainMs`), acknowledges them and disconnects. */
  async close(): Promise<void> {
    this.stopGauges?.();
    await this.consumer?.stop();
    this._status$.next('closed');
  }

  /** Nothing to subscribe to: what the transport does shows in its metrics and logs. */
  on(event: never): never {
    throw new Error(`RedisStreamsServer emits no events (asked for ${String(event)}): see its metrics`);
  }

  /** Its connections stay its own: a command sent on the blocking reader would wait behind a read. */
  unwrap<T>(): T {
    throw new Error('RedisStreamsServer does not expose its connections');
  }

  private async start(): Promise<void> {
    this.indexHandlers();
    const streams = this.options.streams ?? this.handledStreams();
    if (streams.length === 0) throw new Error(`RedisStreamsServer(${this.options.group}): no stream to read (no @EventPattern handler for a known event type)`);
    const consumer = new StreamConsumer(
      { ...this.options, streams },
      {
        // An app that handles every event type (the audit) must record every event: one of a type it
        // does not know is handed on, to be dead-lettered as poison instead of silently acknowledged.
        handles: (type) => this.handlers.has(type) || (this.everyType && !Object.hasOwn(STREAM_OF, type)),
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

  /**
   * Calls the handler and waits for its outcome. Nest's own event path only subscribes to the result
   * and logs failures; the transport needs the failure itself for the delivery policy.
   */
  private invoke(envelope: AnyEvent, delivery: Delivery): Promise<void> {
    const handler = this.handlers.get(envelope.type);
    if (handler === undefined) return Promise.resolve();
    const context = new RedisStreamsContext([delivery.topic, delivery.id, delivery.attempt, this.options.group]);
    return new Promise<void>((resolve, reject) => {
      // Run inside the processing hooks so tracing instrumentation sees each event like any Nest transport.
      this.onProcessingStartHook(this.transportId, context, async () => {
        const end = this.createProcessingEndHookRunner(context);
        try {
          // Continues the trace of whoever created the event (its traceContext), when tracing is on.
          const traced = tracedDelivery('redis', delivery.topic, this.options.group, delivery.attempt, envelope);
          await traceEventHandling(envelope, traceCarrierOf(envelope), traced, async () => {
            const result: unknown = await handler(envelope, context);
            if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
          });
          resolve();
        } catch (error) {
          // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- handlers fail with anything (Nest filters produce plain objects); the error policy judges it
          reject(error);
        } finally {
          end();
        }
      });
    });
  }
}

/**
 * What a consumer span records of a delivery, on either bus: the saga style is the orchestrator's for
 * its transitions and for the outcomes it publishes (they name their saga), the choreography's for the
 * other events of the checkout stream, and none for carts or parcels.
 */
export function tracedDelivery(system: string, topic: string, group: string, attempt: number, event: AnyEvent): EventDelivery {
  const bySaga = topic === STREAMS.saga || (event.payload as { sagaId?: unknown }).sagaId !== undefined;
  const style = bySaga ? 'orchestrated' : topic === STREAMS.checkout ? 'choreographed' : undefined;
  return { system, destination: topic, group, attempt, ...(style !== undefined && { style }) };
}
