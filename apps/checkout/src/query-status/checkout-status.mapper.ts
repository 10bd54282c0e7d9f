import { SagaState, isSagaState } from '@app/contracts';
import type { CheckoutStatus, CheckoutView } from '@app/projections';
import type { SagaAnswer } from '../checkout-cart/saga-orchestrator.client.js';
import type { AcceptedCheckout } from '../checkout/accepted-checkout.mapper.js';

/** `GET /checkout/:checkoutId`: the read model's view, or PENDING for a checkout accepted but not projected yet. */
export interface CheckoutStatusAnswer {
  checkoutId: string;
  status: CheckoutStatus;
  style?: CheckoutView['style'];
  clientId?: string;
  orderId?: string;
  totalCents?: number;
  failedStep?: string;
  code?: string;
  reason?: string;
  sagaId?: string;
  sagaState?: string;
  compensations?: string[];
  lastEventType?: string;
  updatedAt?: string;
  cartId?: string;
  acceptedAt?: string;
}

export function checkoutStatusOf(checkoutId: string, view: CheckoutView | undefined, accepted: AcceptedCheckout | undefined): CheckoutStatusAnswer {
  const shown = view ?? { status: 'PENDING' as const, ...(accepted !== undefined && { clientId: accepted.clientId }) };
  return {
    ...shown,
    checkoutId,
    ...(accepted?.cartId !== undefined && { cartId: accepted.cartId }),
    ...(accepted !== undefined && { acceptedAt: accepted.acceptedAt.toISOString() }),
  };
}

/**
 * An orchestrated checkout this app's fold has not seen end yet, as the orchestrator's
 * `GET /api/saga/:id/status` shows it (the fold reads only the checkout stream, where an
 * orchestrated checkout appears once it ends).
 */
export function orchestratedStatusOf(checkoutId: string, saga: SagaAnswer['body']): CheckoutStatusAnswer {
  const state = isSagaState(saga.state) ? saga.state : undefined;
  const status: CheckoutStatus = state === SagaState.SAGA_TERMINEE ? 'SUCCEEDED' : state === SagaState.SAGA_ANNULEE ? 'FAILED' : 'PENDING';
  const fields = ['clientId', 'orderId', 'totalCents', 'failedStep', 'code'] as const;
  const known = Object.fromEntries(fields.filter((f) => saga[f] !== undefined && saga[f] !== null).map((f) => [f, saga[f]]));
  return { ...known, checkoutId, status, style: 'orchestrated', sagaId: saga.sagaId, ...(state !== undefined && { sagaState: state }) };
}
