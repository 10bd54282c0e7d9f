import { type AnyEvent, type EventMap, type EventType, createEnvelope } from '@app/contracts';

let clock = Date.parse('2026-01-01T00:00:00Z');

/** An envelope for tests, with a strictly increasing occurredAt. */
export function event<T extends EventType>(type: T, payload: EventMap[T], correlationId = 'c1'): AnyEvent {
  const envelope = createEnvelope(type, payload, { correlationId, producer: 'test' });
  clock += 1000;
  return { ...envelope, occurredAt: new Date(clock).toISOString() } as AnyEvent;
}
