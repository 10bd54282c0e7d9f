import type { PricedItems, StepOutcome, StepRefusal } from '@app/checkout-steps';
import {
  type AnyEvent,
  type Authorization,
  type CheckoutEvents,
  type CheckoutStep,
  type EventEnvelope,
  type EventMap,
  type EventType,
  type Order,
  type StockShortage,
  ErrorCode,
  createEnvelope,
  deterministicEventId,
} from '@app/contracts';

/** A worker of the choreographed checkout. */
export interface SagaWorker {
  /** The app, and the `producer` of what it publishes. */
  name: string;
  /** Its consumer group: one per worker, so every worker sees every event. */
  group: string;
}

/**
 * The choreographed checkout, read worker by worker: what each one consumes, the participant call
 * it makes, and what it publishes for each outcome. There is no coordinator: the events carry
 * everything the next worker needs, and a refusal is answered by the workers downstream of it.
 *
 * | worker (group)     | consumes                            | calls                           | went through                       | refused                                                   |
 * | ------------------ | ----------------------------------- | ------------------------------- | ---------------------------------- | --------------------------------------------------------- |
 * | stock-reservation  | CheckoutInitiated                   | inventory: prices, then reserve | StockReserved                      | StockReservationFailed + CheckoutFailed (stock)           |
 * | order-creation     | StockReserved                       | orders: create                  | OrderCreated                       | OrderCreationFailed                                       |
 * | payment            | OrderCreated                        | payments: authorize             | PaymentAuthorized                  | PaymentFailed                                             |
 * | order-confirmation | PaymentAuthorized                   | inventory + orders: confirm     | OrderConfirmed + CheckoutSucceeded | void payment, cancel order (the plan); OrderCancelled     |
 * | order-compensation | PaymentFailed                       | orders: cancel                  | OrderCancelled (payment)           | never refused                                             |
 * | stock-compensation | OrderCreationFailed, OrderCancelled | inventory: release              | StockReleased + CheckoutFailed     | never refused                                             |
 *
 * A participant that stays unavailable is no outcome at all: the event stays pending and is
 * delivered again (see `redeliverIfUnavailable`). What each compensating worker undoes is the
 * compensation plan of `@app/checkout-steps`, split between workers by `compensationsBeforeStockRelease`. Every event a worker
 * publishes gets `deterministicEventId(incoming.eventId, type)`: a worker that
 * crashed after its participant call but before publishing calls again on redelivery (participants
 * are idempotent by checkoutId and answer their first outcome) and republishes the very same ids,
 * which the event store and the read models deduplicate. The checkout-deadline worker's compensation
 * derives the ids of the StockReleased and CheckoutFailed it publishes after its own OrderCancelled
 * the same way, so stock-compensation's reaction to that OrderCancelled deduplicates with them.
 */
export const SAGA_WORKERS = {
  stockReservation: { name: 'stock-reservation-worker', group: 'stock-reservation' },
  orderCreation: { name: 'order-creation-worker', group: 'order-creation' },
  payment: { name: 'payment-worker', group: 'payment' },
  orderConfirmation: { name: 'order-confirmation-worker', group: 'order-confirmation' },
  orderCompensation: { name: 'order-compensation-worker', group: 'order-compensation' },
  stockCompensation: { name: 'stock-compensation-worker', group: 'stock-compensation' },
} as const satisfies Record<string, SagaWorker>;

type CheckoutEventType = keyof CheckoutEvents;

/** Publishes, as `producer`, in reaction to `incoming`: ids derived from it, the checkout as correlation. */
function reactingTo(incoming: EventEnvelope<CheckoutEventType>, producer: string) {
  return <T extends EventType>(type: T, payload: EventMap[T]): EventEnvelope<T> =>
    createEnvelope(type, payload, {
      eventId: deterministicEventId(incoming.eventId, type),
      causationId: incoming.eventId,
      correlationId: incoming.payload.checkoutId,
      producer,
    });
}

const refusalOf = ({ code, reason }: StepRefusal) => ({ code, reason });

/** CheckoutInitiated, after pricing and reserving (`outcome` carries the priced lines, or the refusal of either call). */
export function stockReservationReaction(event: EventEnvelope<'CheckoutInitiated'>, outcome: StepOutcome<PricedItems>): AnyEvent[] {
  const emit = reactingTo(event, SAGA_WORKERS.stockReservation.name);
  const { checkoutId, clientId, paymentToken } = event.payload;
  if (outcome.ok) return [emit('StockReserved', { checkoutId, clientId, items: outcome.items, totalCents: outcome.totalCents, paymentToken })];
  const shortages = outcome.details?.['shortages'] as StockShortage[] | undefined;
  return [
    emit('StockReservationFailed', { checkoutId, clientId, ...refusalOf(outcome), ...(shortages !== undefined && { shortages }) }),
    // Nothing was reserved, so nothing is left to compensate: the checkout has failed.
    emit('CheckoutFailed', { checkoutId, clientId, failedStep: 'stock', ...refusalOf(outcome) }),
  ];
}

/** StockReserved, after creating the PENDING order. */
export function orderCreationReaction(event: EventEnvelope<'StockReserved'>, outcome: StepOutcome<{ order: Order }>): AnyEvent[] {
  const emit = reactingTo(event, SAGA_WORKERS.orderCreation.name);
  const { checkoutId, clientId, paymentToken } = event.payload;
  if (outcome.ok) return [emit('OrderCreated', { checkoutId, clientId, orderId: outcome.order.orderId, totalCents: outcome.order.totalCents, paymentToken })];
  return [emit('OrderCreationFailed', { checkoutId, clientId, ...refusalOf(outcome) })];
}

/** OrderCreated, after authorizing the order's total. */
export function paymentReaction(event: EventEnvelope<'OrderCreated'>, outcome: StepOutcome<{ authorization: Authorization }>): AnyEvent[] {
  const emit = reactingTo(event, SAGA_WORKERS.payment.name);
  const { checkoutId, clientId, orderId } = event.payload;
  if (outcome.ok) return [emit('PaymentAuthorized', { checkoutId, clientId, orderId, amountCents: outcome.authorization.amountCents })];
  return [emit('PaymentFailed', { checkoutId, clientId, orderId, ...refusalOf(outcome) })];
}

/**
 * PaymentAuthorized, after confirming the reservation and the order. A refusal means a compensation
 * (the checkout's deadline) got there first: the worker has run its part of the plan (void the
 * payment, cancel the order), and the OrderCancelled it publishes lets stock-compensation finish it.
 */
export function orderConfirmationReaction(event: EventEnvelope<'PaymentAuthorized'>, outcome: StepOutcome<{ order: Order }>): AnyEvent[] {
  const emit = reactingTo(event, SAGA_WORKERS.orderConfirmation.name);
  const { checkoutId, clientId, orderId } = event.payload;
  if (outcome.ok) {
    return [
      emit('OrderConfirmed', { checkoutId, clientId, orderId }),
      emit('CheckoutSucceeded', { checkoutId, clientId, orderId, totalCents: outcome.order.totalCents }),
    ];
  }
  return [emit('OrderCancelled', { checkoutId, clientId, orderId, failedStep: 'confirmation', ...refusalOf(outcome) })];
}

/** PaymentFailed, after cancelling the order (a compensation: it has no refusal). */
export function orderCompensationReaction(event: EventEnvelope<'PaymentFailed'>): AnyEvent[] {
  const emit = reactingTo(event, SAGA_WORKERS.orderCompensation.name);
  const { checkoutId, clientId, orderId, code, reason } = event.payload;
  return [emit('OrderCancelled', { checkoutId, clientId, orderId, failedStep: 'payment', code, reason })];
}

/** OrderCreationFailed or OrderCancelled, after releasing the stock (a compensation: it has no refusal). */
export function stockCompensationReaction(event: EventEnvelope<'OrderCreationFailed'> | EventEnvelope<'OrderCancelled'>): AnyEvent[] {
  const emit = reactingTo(event, SAGA_WORKERS.stockCompensation.name);
  const { checkoutId, clientId } = event.payload;
  const failure = failureOf(event);
  return [emit('StockReleased', { checkoutId, clientId, ...failure }), emit('CheckoutFailed', { checkoutId, clientId, ...failure })];
}

function failureOf(event: EventEnvelope<'OrderCreationFailed'> | EventEnvelope<'OrderCancelled'>): { failedStep: CheckoutStep; code: string; reason: string } {
  switch (event.type) {
    case 'OrderCreationFailed':
      return { failedStep: 'order', code: event.payload.code, reason: event.payload.reason };
    case 'OrderCancelled':
      // Publishers say why they cancelled; an OrderCancelled that does not is taken for the
      // choreography's own reason to cancel an order, a refused payment.
      return { failedStep: event.payload.failedStep ?? 'payment', code: event.payload.code ?? ErrorCode.OrderCancelled, reason: event.payload.reason };
  }
}
