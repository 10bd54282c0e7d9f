import { type AnyEvent, SagaState } from '@app/contracts';

/** `GET /api/event-store/cqrs/orders-by-client/:clientId`: the client's succeeded checkouts, both styles. */
export interface OrdersByClientView {
  clientId: string;
  totalOrders: number;
  lastOrderId: string;
  lastCheckoutId: string;
  lastUpdateTs: string;
}

interface Success {
  clientId: string;
  orderId: string;
  checkoutId: string;
}

/** The success an event announces, in either style, or undefined. */
function successOf(event: AnyEvent): Success | undefined {
  if (event.type === 'CheckoutSucceeded') return event.payload;
  if (event.type === 'SagaTransitioned' && event.payload.to === SagaState.SAGA_TERMINEE && event.payload.orderId !== undefined) {
    return { clientId: event.payload.clientId, orderId: event.payload.orderId, checkoutId: event.payload.checkoutId };
  }
  return undefined;
}

/** The client an event would change the view of, if any. */
export const ordersByClientKeyOf = (event: AnyEvent): string | undefined => successOf(event)?.clientId;

/**
 * Folds one event into a client's view (pure). The caller guarantees each event is applied once
 * (the projection's checkpoint), so counting is exact. "Last" means latest by occurredAt, not last
 * applied, so a live projection and a rebuild from the store agree whatever order they saw.
 */
export function evolveOrdersByClient(view: OrdersByClientView | undefined, event: AnyEvent): OrdersByClientView | undefined {
  const success = successOf(event);
  if (success === undefined) return view;
  const totalOrders = (view?.totalOrders ?? 0) + 1;
  const isLatest = view === undefined || event.occurredAt > view.lastUpdateTs || (event.occurredAt === view.lastUpdateTs && success.checkoutId > view.lastCheckoutId);
  if (!isLatest) return { ...view, totalOrders };
  return { clientId: success.clientId, totalOrders, lastOrderId: success.orderId, lastCheckoutId: success.checkoutId, lastUpdateTs: event.occurredAt };
}
