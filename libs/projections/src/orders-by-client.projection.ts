import { type AnyEvent, SagaState } from '@app/contracts';

/**
 * `GET /api/event-store/cqrs/orders-by-client/:clientId`: the client's orders that count, both
 * styles. `totalOrders` counts the checkouts that succeeded and whose order was not cancelled since;
 * `last*` name the latest of them by the time it succeeded.
 */
export interface OrdersByClientView {
  clientId: string;
  totalOrders: number;
  lastOrderId: string;
  lastCheckoutId: string;
  /** When the last order's checkout succeeded. */
  lastUpdateTs: string;
}

/**
 * One checkout's order as the orders-by-client read model keeps it (one row per checkout, summed
 * per client when queried). It counts while it has succeeded and has not been cancelled.
 */
export interface ClientOrderView {
  checkoutId: string;
  clientId: string;
  orderId: string;
  /** Its CheckoutSucceeded, or its saga reaching SAGA_TERMINEE. */
  succeededAt?: string;
  /** Its OrderCancelled, or its saga reaching SAGA_ANNULEE with an order: a forced compensation of a finished saga ends there too. */
  cancelledAt?: string;
}

interface OrderFact {
  kind: 'succeeded' | 'cancelled';
  checkoutId: string;
  clientId: string;
  orderId: string;
}

/** What an event says about a checkout's order, in either style, or undefined. */
function orderFactOf(event: AnyEvent): OrderFact | undefined {
  switch (event.type) {
    case 'CheckoutSucceeded':
      return { kind: 'succeeded', ...event.payload };
    case 'OrderCancelled':
      return { kind: 'cancelled', ...event.payload };
    case 'SagaTransitioned': {
      const { to, orderId, checkoutId, clientId } = event.payload;
      if (orderId === undefined) return undefined;
      if (to === SagaState.SAGA_TERMINEE) return { kind: 'succeeded', checkoutId, clientId, orderId };
      if (to === SagaState.SAGA_ANNULEE) return { kind: 'cancelled', checkoutId, clientId, orderId };
      return undefined;
    }
    default:
      return undefined;
  }
}

/** The checkout (row of the read model) an event changes, if any. */
export const clientOrderKeyOf = (event: AnyEvent): string | undefined => orderFactOf(event)?.checkoutId;

/** Whether an order counts in its client's `totalOrders`. */
export const isCounted = (order: ClientOrderView): boolean => order.succeededAt !== undefined && order.cancelledAt === undefined;

const earliest = (a: string | undefined, b: string): string => (a === undefined || b < a ? b : a);

/**
 * Folds one event into a checkout's order (pure). A cancellation is kept even when it is seen
 * before the success it undoes, and each time is the earliest seen, so the live projection and a
 * rebuild from the store agree whatever order they saw the events in.
 */
export function evolveClientOrder(order: ClientOrderView | undefined, event: AnyEvent): ClientOrderView | undefined {
  const fact = orderFactOf(event);
  if (fact === undefined) return order;
  const current = order ?? { checkoutId: fact.checkoutId, clientId: fact.clientId, orderId: fact.orderId };
  return fact.kind === 'succeeded'
    ? { ...current, succeededAt: earliest(current.succeededAt, event.occurredAt) }
    : { ...current, cancelledAt: earliest(current.cancelledAt, event.occurredAt) };
}
