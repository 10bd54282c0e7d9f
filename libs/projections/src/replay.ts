import { type AnyEvent, traceCarrierOf } from '@app/contracts';
import { type CheckoutView, evolveCheckout } from './checkout.projection.js';

export interface TimelineEntry {
  at: string;
  type: string;
  producer: string;
  eventId: string;
  /** The event this one reacts to: what links the choreography's chain, event to event. */
  causationId?: string;
  /** For orchestrated sagas, the transition (`STOCK_RESERVE -> CREATION_COMMANDE`). */
  transition?: string;
  code?: string;
  reason?: string;
  /** The W3C `traceparent` the event carried, when it carried one as a string (tracing was on); not checked further. */
  traceparent?: string;
}

export interface CheckoutReplay {
  checkout: CheckoutView | undefined;
  timeline: TimelineEntry[];
}

function timelineEntry(event: AnyEvent): TimelineEntry {
  const payload = event.payload as { code?: string; reason?: string };
  const { traceparent } = traceCarrierOf(event);
  return {
    at: event.occurredAt,
    type: event.type,
    producer: event.producer,
    eventId: event.eventId,
    ...(typeof event.causationId === 'string' && { causationId: event.causationId }),
    ...(event.type === 'SagaTransitioned' ? { transition: `${event.payload.from} -> ${event.payload.to}` } : {}),
    ...(payload.code !== undefined ? { code: payload.code } : {}),
    ...(payload.reason !== undefined ? { reason: payload.reason } : {}),
    ...(traceparent !== undefined && { traceparent }),
  };
}

/** Rebuilds a checkout from its events, in order, with its timeline. Pure: replay never has side effects. */
export function replayCheckout(events: readonly AnyEvent[]): CheckoutReplay {
  return {
    checkout: events.reduce<CheckoutView | undefined>(evolveCheckout, undefined),
    timeline: events.map(timelineEntry),
  };
}
