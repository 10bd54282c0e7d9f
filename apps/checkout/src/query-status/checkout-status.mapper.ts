import type { CheckoutStatus, CheckoutView } from '@app/projections';
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
