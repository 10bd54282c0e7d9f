import { type AnyEvent, EVENT_TYPES, type EventType, STREAM_OF, STREAMS, traceCarrierOf } from '@app/contracts';
import { type EventDelivery, traceEventHandling } from '@app/observability';
import { type CustomTransportStrategy, type MessageHandler, Server } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';
import { RedisStreamsContext } from './delivery.context.js';
import type { DeliveryServerOptions, ResolvedDeliveryOptions } from './delivery.options.js';

/** What the handler's context and span say of one delivery, on either bus. */
export interface HandledDelivery {
  /** The stream, as `STREAMS` names it (no prefix). */
  topic: string;
  /** `<ms>-<seq>`. */
  id: string;
  /** 1 on the first delivery. */
  attempt: number;
}

/**
 * What the two bus transports share, so that a handler sees the same thing on either: the index of
 * which handler takes which event type, the streams they imply, and the call of a handler inside
 * Nest's processing hooks and a consumer span. Reading, settling (with `verdictOnFailure`), claiming
 * and draining are the transport's, through its consumer.
 */
export abstract class DeliveryServer<Status extends string, O extends ResolvedDeliveryOptions<DeliveryServerOptions>>
  extends Server<Record<never, never>, Status | 'closed'>
  implements CustomTransportStrategy
{
  /** The transport Nest names when it runs the handlers' processing hooks. */
  abstract override transportId: symbol;
  /** Handler failures come back to the transport, which retries or dead-letters them. */
  override readonly propagatesEventHandlerErrors = true;
  /** Each handled event type's handler, looked up once at start: Nest's own lookup parses the pattern as JSON every time. */
  private readonly handlers = new Map<string, MessageHandler>();
  /** Whether the app handles every event type (the audit): it then also takes entries of types nobody knows. */
  private everyType = false;

  /**
   * @param messagingSystem the bus in the consumer spans' `messaging.system` (`redis`, `nats`)
   * @param options resolved options: the group, the streams and the logger are read here
   */
  protected constructor(
    private readonly messagingSystem: string,
    protected readonly options: O,
  ) {
    super();
  }

  /** Called by Nest once the handlers are registered. */
  listen(callback: (error?: unknown) => void): void {
    this.start().then(
      () => callback(),
      (error: unknown) => callback(error),
    );
  }

  /** Stops reading, drains running handlers (up to `drainMs`), settles them and disconnects. */
  async close(): Promise<void> {
    await this.stop();
    this._status$.next('closed');
  }

  /** Nothing to subscribe to: what the transport does shows in its metrics and logs. */
  on(event: never): never {
    throw new Error(`${this.constructor.name} emits no events (asked for ${String(event)}): see its metrics`);
  }

  /** Its connections stay its own: on Redis, a command sent on the blocking reader would wait behind a read. */
  unwrap<T>(): T {
    throw new Error(`${this.constructor.name} does not expose its connections`);
  }

  /** Connects and starts reading {@link streamsToRead}, handing entries to {@link invoke}. */
  protected abstract start(): Promise<void>;

  /** What {@link close} does before the status turns `closed`: stop reading, drain, disconnect. */
  protected abstract stop(): Promise<void>;

  /** Indexes the handlers and returns the streams to read: those asked for, or those of the handled types. */
  protected streamsToRead(): readonly string[] {
    this.indexHandlers();
    const streams = this.options.streams ?? this.handledStreams();
    if (streams.length === 0) {
      throw new Error(`${this.constructor.name}(${this.options.group}): no stream to read (no @EventPattern handler for a known event type)`);
    }
    return streams;
  }

  protected hasHandler(type: string): boolean {
    return this.handlers.has(type);
  }

  /** Whether the app handles every event type (the audit). */
  protected get handlesEveryType(): boolean {
    return this.everyType;
  }

  /**
   * Whether entries of `type` are handed on. An app that handles every event type (the audit) must
   * record every event: one of a type it does not know is handed on, to be dead-lettered as poison
   * instead of silently acknowledged.
   */
  protected handles(type: string): boolean {
    return this.handlers.has(type) || (this.everyType && !Object.hasOwn(STREAM_OF, type));
  }

  /**
   * Calls the handler and waits for its outcome. Nest's own event path only subscribes to the result
   * and logs failures; the transport needs the failure itself for the delivery policy.
   */
  protected invoke(envelope: AnyEvent, delivery: HandledDelivery): Promise<void> {
    const handler = this.handlers.get(envelope.type);
    if (handler === undefined) return Promise.resolve();
    const context = new RedisStreamsContext([delivery.topic, delivery.id, delivery.attempt, this.options.group]);
    return new Promise<void>((resolve, reject) => {
      // Run inside the processing hooks so tracing instrumentation sees each event like any Nest transport.
      this.onProcessingStartHook(this.transportId, context, async () => {
        const end = this.createProcessingEndHookRunner(context);
        try {
          // Continues the trace of whoever created the event (its traceContext), when tracing is on.
          const traced = tracedDelivery(this.messagingSystem, delivery.topic, this.options.group, delivery.attempt, envelope);
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
    return this.streamsOfTypes(types);
  }

  /** The streams that hold the events of `types`: the stream of each. A transport may read others that hold them. */
  protected streamsOfTypes(types: readonly EventType[]): string[] {
    return [...new Set(types.map((type) => STREAM_OF[type]))];
  }
}

/**
 * What a consumer span records of a delivery, on either bus: the saga style is the orchestrator's for
 * its transitions and for the outcomes it publishes (they name their saga), the choreography's for the
 * other events of the checkout stream, and none for carts or parcels.
 */
function tracedDelivery(system: string, topic: string, group: string, attempt: number, event: AnyEvent): EventDelivery {
  const stream = STREAM_OF[event.type];
  const bySaga = stream === STREAMS.saga || (event.payload as { sagaId?: unknown }).sagaId !== undefined;
  const style = bySaga ? 'orchestrated' : stream === STREAMS.checkout ? 'choreographed' : undefined;
  return { system, destination: topic, group, attempt, ...(style !== undefined && { style }) };
}
