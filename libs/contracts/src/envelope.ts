import { createHash, randomUUID } from 'node:crypto';
import { type EventEnvelope, type EventMap, type EventType, SCHEMA_VERSION } from './event-map.js';
import { captureTraceContext } from './trace-context.js';

export interface EnvelopeContext {
  correlationId: string;
  causationId?: string | null;
  producer: string;
  /** Deterministic ids make a redelivered handler publish the same event again (see {@link deterministicEventId}). */
  eventId?: string;
}

/**
 * Wraps a payload in the envelope of the architecture contract, with the trace context of the
 * current span when tracing is on: captured here, where the event is decided, so an event queued in
 * an outbox and relayed later still continues the trace of the request or handler that created it.
 */
export function createEnvelope<T extends EventType>(type: T, payload: EventMap[T], context: EnvelopeContext): EventEnvelope<T> {
  const traceContext = captureTraceContext();
  return {
    eventId: context.eventId ?? randomUUID(),
    type,
    schemaVersion: SCHEMA_VERSION,
    occurredAt: new Date().toISOString(),
    correlationId: context.correlationId,
    causationId: context.causationId ?? null,
    producer: context.producer,
    payload,
    ...(traceContext !== undefined && { traceContext }),
  };
}

/**
 * The id of the event a handler publishes in reaction to `causationId`: the same on every
 * redelivery, so the event store and consumers can recognise a republished outcome.
 */
export function deterministicEventId(causationId: string, type: EventType): string {
  const hex = createHash('sha256').update(`${causationId}:${type}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}
