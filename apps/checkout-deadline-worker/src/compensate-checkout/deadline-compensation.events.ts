import { type AnyEvent, type CheckoutStep, ErrorCode, createEnvelope, deterministicEventId } from '@app/contracts';
import { PRODUCER } from '../publish-events/deadline-outbox.relay.js';

/** A stuck choreographed checkout, once its participants have been compensated. */
export interface DeadlineCompensation {
  checkoutId: string;
  clientId: string;
  initiatedEventId: string;
  failedStep: CheckoutStep;
  reason: string;
  /** Set when the checkout had an order (now cancelled). */
  orderId?: string;
}

/** The step a checkout waits on after its last event: where it got stuck. */
const STUCK_AT: Record<string, CheckoutStep> = {
  CheckoutInitiated: 'stock',
  StockReservationFailed: 'stock',
  StockReserved: 'order',
  OrderCreationFailed: 'order',
  OrderCreated: 'payment',
  PaymentFailed: 'payment',
  // A payment refusal is what usually cancels an order before the stock goes back.
  OrderCancelled: 'payment',
  PaymentAuthorized: 'confirmation',
  OrderConfirmed: 'confirmation',
};

/** Where a checkout whose last event consumed is `lastEventType` is stuck; no event yet means the stock step. */
export function stuckStepOf(lastEventType: string | undefined): CheckoutStep {
  return STUCK_AT[lastEventType ?? 'CheckoutInitiated'] ?? 'stock';
}

/**
 * The events that end a checkout compensated at its deadline: `OrderCancelled` (when it had an
 * order), `StockReleased` and `CheckoutFailed`. Their ids are derived the way the choreography
 * derives them: the OrderCancelled from the CheckoutInitiated, the two others from the
 * OrderCancelled (or from the CheckoutInitiated without an order), exactly as the stock-compensation
 * worker reacting to that OrderCancelled derives its own, so the duplicates deduplicate.
 */
export function deadlineCompensationEvents(c: DeadlineCompensation): AnyEvent[] {
  const ref = { checkoutId: c.checkoutId, clientId: c.clientId };
  const failure = { failedStep: c.failedStep, code: ErrorCode.CheckoutDeadlineExceeded, reason: c.reason };
  const context = (causationId: string, eventId: string) => ({ correlationId: c.checkoutId, causationId, eventId, producer: PRODUCER });
  const cancelledId = deterministicEventId(c.initiatedEventId, 'OrderCancelled');
  const cause = c.orderId === undefined ? c.initiatedEventId : cancelledId;
  const cancelled =
    c.orderId === undefined ? [] : [createEnvelope('OrderCancelled', { ...ref, orderId: c.orderId, ...failure }, context(c.initiatedEventId, cancelledId))];
  return [
    ...cancelled,
    createEnvelope('StockReleased', { ...ref, ...failure }, context(cause, deterministicEventId(cause, 'StockReleased'))),
    createEnvelope('CheckoutFailed', { ...ref, ...failure }, context(cause, deterministicEventId(cause, 'CheckoutFailed'))),
  ] as AnyEvent[];
}

/**
 * The events that end a stuck checkout whose order turned out CONFIRMED: it succeeded, only its
 * last events were lost (dead-lettered, or their worker gone). Derived from the CheckoutInitiated,
 * so repeating the deadline handling queues the same ids.
 */
export function confirmedAtDeadlineEvents(c: {
  checkoutId: string;
  clientId: string;
  initiatedEventId: string;
  orderId: string;
  totalCents: number;
}): AnyEvent[] {
  const ref = { checkoutId: c.checkoutId, clientId: c.clientId };
  const context = (type: 'OrderConfirmed' | 'CheckoutSucceeded') => ({
    correlationId: c.checkoutId,
    causationId: c.initiatedEventId,
    eventId: deterministicEventId(`${c.initiatedEventId}:deadline`, type),
    producer: PRODUCER,
  });
  return [
    createEnvelope('OrderConfirmed', { ...ref, orderId: c.orderId }, context('OrderConfirmed')),
    createEnvelope('CheckoutSucceeded', { ...ref, orderId: c.orderId, totalCents: c.totalCents }, context('CheckoutSucceeded')),
  ] as AnyEvent[];
}
