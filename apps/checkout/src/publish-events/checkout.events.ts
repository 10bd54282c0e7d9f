import { randomUUID } from 'node:crypto';
import { type CheckoutRequest, type EventEnvelope, createEnvelope } from '@app/contracts';

/** The `producer` of this app's events. */
export const PRODUCER = 'checkout';

/**
 * The event that starts a choreographed checkout (under a new checkout id unless given): everything the
 * stock-reservation worker needs, and the cart it came from if any.
 */
export function checkoutInitiated(
  request: CheckoutRequest,
  origin: { checkoutId?: string; cartId?: string; causationId?: string } = {},
): EventEnvelope<'CheckoutInitiated'> {
  const checkoutId = origin.checkoutId ?? randomUUID();
  const payload = {
    checkoutId,
    clientId: request.clientId,
    items: request.items,
    paymentToken: request.payment.token,
    ...(origin.cartId !== undefined && { cartId: origin.cartId }),
  };
  return createEnvelope('CheckoutInitiated', payload, { correlationId: checkoutId, causationId: origin.causationId ?? null, producer: PRODUCER });
}
