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

/** Orchestrated: a saga transition, or an outcome the orchestrator published (it names its saga). */
export const isOrchestrated = (event: AnyEvent): boolean => event.type === 'SagaTransitioned' || (event.payload as { sagaId?: unknown }).sagaId !== undefined;

function start(event: AnyEvent, checkoutId: string): CheckoutView {
  const clientId = (event.payload as { clientId?: string }).clientId ?? '';
  const style = isOrchestrated(event) ? 'orchestrated' : 'choreographed';
  return { checkoutId, style, status: 'PENDING', clientId, compensations: [], lastEventType: event.type, updatedAt: event.occurredAt };
}

/** What an orchestrated outcome says of its saga (nothing for the choreography's). */
const sagaEnd = (sagaId: string | undefined, state: SagaState): Partial<CheckoutView> =>
  sagaId === undefined ? {} : { style: 'orchestrated', sagaId, sagaState: state };

/**
 * Folds one event into a checkout's view (pure). Unknown or unrelated events leave it unchanged, and
 * a terminal status is never reopened by a late or redelivered event.
 */
export function evolveCheckout(view: CheckoutView | undefined, event: AnyEvent): CheckoutView | undefined {
  const checkoutId = checkoutIdOf(event);
  if (checkoutId === undefined || event.type === 'CartCheckedOut') return view;
  const current = view ?? start(event, checkoutId);
  // An orchestrated outcome says again what its saga's last transition says, from another stream, so it
  // may be folded before or after it: it leaves the timeline fields to the transitions, so that the
  // live fold and a rebuild agree whatever order they saw the two streams in.
  const retold = view !== undefined && (event.type === 'CheckoutSucceeded' || event.type === 'CheckoutFailed') && isOrchestrated(event);
  const next: CheckoutView = retold ? current : { ...current, lastEventType: event.type, updatedAt: event.occurredAt };
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
    case 'CheckoutSucceeded': {
      if (terminal) return next;
      const { orderId, totalCents, sagaId } = event.payload;
      return { ...next, ...sagaEnd(sagaId, SagaState.SAGA_TERMINEE), status: 'SUCCEEDED', orderId, totalCents };
    }
    case 'CheckoutFailed': {
      const { failedStep, code, reason, sagaId } = event.payload;
      // As with SAGA_ANNULEE: an operator may force the compensation of an orchestrated checkout that had succeeded.
      if (terminal && sagaId === undefined) return next;
      return { ...next, ...sagaEnd(sagaId, SagaState.SAGA_ANNULEE), status: 'FAILED', failedStep, code, reason };
    }
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
