import { type AnyEvent, COMPENSATING_SAGA_STATES, type CheckoutStep, SagaState } from '@app/contracts';

export type CheckoutStatus = 'PENDING' | 'SUCCEEDED' | 'FAILED';

/** A checkout as both styles' events tell it: the read model behind `GET /checkout/:id` and the replay. */
export interface CheckoutView {
  checkoutId: string;
  style: 'choreographed' | 'orchestrated';
  status: CheckoutStatus;
  clientId: string;
  orderId?: string;
  totalCents?: number;
  failedStep?: CheckoutStep;
  code?: string;
  reason?: string;
  /** Orchestrated only: the saga and its last EtatSaga state. */
  sagaId?: string;
  sagaState?: SagaState;
  /** Compensations seen so far, in order (StockReleased, OrderCancelled, or saga compensation states). */
  compensations: string[];
  lastEventType: string;
  updatedAt: string;
  /** When the checkout started: its CheckoutInitiated, or the saga leaving EN_ATTENTE. */
  startedAt?: string;
}

/** The checkout an event belongs to, or undefined for events that are not about a checkout. */
export function checkoutIdOf(event: AnyEvent): string | undefined {
  const payload = event.payload as { checkoutId?: unknown };
  if (event.type.startsWith('Cart') && event.type !== 'CartCheckedOut') return undefined;
  return typeof payload.checkoutId === 'string' ? payload.checkoutId : undefined;
}

function start(event: AnyEvent, checkoutId: string): CheckoutView {
  const clientId = (event.payload as { clientId?: string }).clientId ?? '';
  const style = event.type === 'SagaTransitioned' ? 'orchestrated' : 'choreographed';
  return { checkoutId, style, status: 'PENDING', clientId, compensations: [], lastEventType: event.type, updatedAt: event.occurredAt };
}

/**
 * Folds one event into a checkout's view (pure). Unknown or unrelated events leave it unchanged, and
 * a terminal status is never reopened by a late or redelivered event.
 */
export function evolveCheckout(view: CheckoutView | undefined, event: AnyEvent): CheckoutView | undefined {
  const checkoutId = checkoutIdOf(event);
  if (checkoutId === undefined || event.type === 'CartCheckedOut') return view;
  const current = view ?? start(event, checkoutId);
  const next: CheckoutView = { ...current, lastEventType: event.type, updatedAt: event.occurredAt };
  const terminal = current.status !== 'PENDING';
  switch (event.type) {
    case 'CheckoutInitiated':
      return { ...next, startedAt: event.occurredAt };
    case 'PaymentAuthorized':
    case 'OrderConfirmed':
      return next;
    case 'StockReserved':
      return { ...next, totalCents: event.payload.totalCents };
    case 'OrderCreated':
      return { ...next, orderId: event.payload.orderId, totalCents: event.payload.totalCents };
    case 'StockReservationFailed':
    case 'OrderCreationFailed':
    case 'PaymentFailed':
      return terminal ? next : { ...next, code: event.payload.code, reason: event.payload.reason };
    case 'OrderCancelled':
    case 'StockReleased':
      return { ...next, compensations: [...current.compensations, event.type] };
    case 'CheckoutSucceeded':
      return terminal ? next : { ...next, status: 'SUCCEEDED', orderId: event.payload.orderId, totalCents: event.payload.totalCents };
    case 'CheckoutFailed':
      return terminal
        ? next
        : { ...next, status: 'FAILED', failedStep: event.payload.failedStep, code: event.payload.code, reason: event.payload.reason };
    case 'SagaTransitioned': {
      const p = event.payload;
      const saga: CheckoutView = {
        ...next,
        style: 'orchestrated',
        sagaId: p.sagaId,
        sagaState: p.to,
        ...(p.orderId !== undefined ? { orderId: p.orderId } : {}),
        ...(p.totalCents !== undefined ? { totalCents: p.totalCents } : {}),
        compensations: COMPENSATING_SAGA_STATES.includes(p.to) ? [...current.compensations, p.to] : current.compensations,
        ...(p.from === SagaState.EN_ATTENTE && { startedAt: event.occurredAt }),
      };
      if (terminal && p.to !== SagaState.SAGA_ANNULEE) return saga;
      if (p.to === SagaState.SAGA_TERMINEE) return { ...saga, status: 'SUCCEEDED' };
      if (p.to === SagaState.SAGA_ANNULEE) {
        return { ...saga, status: 'FAILED', ...(p.failedStep ? { failedStep: p.failedStep } : {}), ...(p.code ? { code: p.code } : {}), ...(p.reason ? { reason: p.reason } : {}) };
      }
      return saga;
    }
    case 'CartCreated':
    case 'CartItemAdded':
    case 'CartItemRemoved':
    case 'CartReopened':
    case 'ParcelRegistered':
    case 'ParcelShipped':
    case 'ParcelDelivered':
    case 'IncidentDeclared':
    case 'IncidentResolved':
      return view;
  }
}
