import { type AnyEvent, EVENT_TYPES, type EventType, STREAM_OF } from '@app/contracts';
import { type CustomTransportStrategy, type MessageHandler, Server } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';
import type { DeadLetter } from './dead-letter.writer.js';
import { RedisStreamsContext } from './redis-streams.context.js';
import { type RedisStreamsServerOptions, type ResolvedServerOptions, resolveServerOptions } from './redis-streams.options.js';
import { registerStreamGroupGauges } from './stream-group.gauges.js';
import { StreamConsumer } from './stream.consumer.js';
import type { Delivery } from './stream.delivery.js';

/** Transport id of {@link RedisStreamsServer}, for `@EventPattern(type, REDIS_STREAMS_TRANSPORT)` in hybrid apps. */
export const REDIS_STREAMS_TRANSPORT = Symbol('REDIS_STREAMS');

export type RedisStreamsStatus = 'connected' | 'disconnected' | 'closed';

/** Events of a {@link RedisStreamsServer}, subscribed to with `server.on(...)`. */
export type RedisStreamsServerEvents = {
  /** An entry was moved to its dead-letter stream. */
  'dead-letter': (letter: DeadLetter) => void;
  /** A periodic trim of `stream` (the key as stored) ran and removed `removed` entries. */
  trim: (stream: string, removed: number) => void;
};

/**
 * A Nest microservice transport over Redis Streams: `@EventPattern('StockReserved')` handlers of
 * the app receive the full `EventEnvelope` of each event on the streams of their types.
 *
 * Each app is one consumer group, so every app sees every event, and instances of one app compete
 * for entries. An entry is acknowledged only once its handler's promise or observable succeeded;
 * failures are retried up to `maxAttempts` (or dead-lettered at once, as `errorPolicy` says);
 * entries of a crashed consumer are claimed after `claimIdleMs`; entries with the same
 * `correlationId` are handled one after the other in stream order (unless `ordering` is `none`).
 * Entries of types the app does not handle are acknowledged without being parsed.
 *
 * @example
 * app.connectMicroservice({ strategy: new RedisStreamsServer(serverOptionsFromConfig(config, { group: 'payment' })) });
 */
export class RedisStreamsServer extends Server<RedisStreamsServerEvents, RedisStreamsStatus> implements CustomTransportStrategy {
  override transportId = REDIS_STREAMS_TRANSPORT;
  /** Handler failures come back to this transport, which retries or dead-letters them. */
  override readonly propagatesEventHandlerErrors = true;
  private readonly options: ResolvedServerOptions;
  private readonly listeners: { [K in keyof RedisStreamsServerEvents]: Set<RedisStreamsServerEvents[K]> } = { 'dead-letter': new Set(), trim: new Set() };
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

  on<K extends keyof RedisStreamsServerEvents>(event: K, callback: RedisStreamsServerEvents[K]): void {
    this.listeners[event].add(callback);
  }

  /** The two connections: `reader` (blocking reads only) and `commands` (everything else). */
  unwrap<T = { reader: StreamConsumer['reader']; commands: StreamConsumer['commands'] }>(): T {
    if (this.consumer === undefined) throw new Error('RedisStreamsServer is not listening');
    return { reader: this.consumer.reader, commands: this.consumer.commands } as T;
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
        onDeadLetter: (letter) => this.listeners['dead-letter'].forEach((listener) => listener(letter)),
        onTrim: (stream, removed) => this.listeners.trim.forEach((listener) => listener(stream, removed)),
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
   * and logs failures; the transport needs the failure itself to decide between retry and dead letter.
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
          const result: unknown = await handler(envelope, context);
          if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
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
