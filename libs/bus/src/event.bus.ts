import type { AnyEvent, EventEnvelope, EventMap, EventType } from '@app/contracts';
import type { PublishContext } from '@app/redis-streams';

/**
 * Publishes events on the configured bus (`BUS`): the one token apps inject, whichever bus runs
 * underneath. Both implementations (the Redis `EventPublisher`, the NATS `JetStreamPublisher`) type
 * payloads by `EventMap`, reject a failed publish with a `RetriableError`, and keep envelopes intact.
 */
export abstract class EventBus {
  /** Wraps `payload` in a new envelope and publishes it; resolves with the envelope once stored. */
  abstract publish<T extends EventType>(type: T, payload: EventMap[T], context: PublishContext): Promise<EventEnvelope<T>>;
  /** Publishes an envelope as it is (a relayed or replayed event); resolves with its entry id. */
  abstract publishEnvelope<T extends EventType>(envelope: EventEnvelope<T>): Promise<string>;
  /** Publishes several envelopes in order; resolves with their entry ids once all are stored. */
  abstract publishMany(envelopes: readonly AnyEvent[]): Promise<string[]>;
  abstract close(): Promise<void>;
}
