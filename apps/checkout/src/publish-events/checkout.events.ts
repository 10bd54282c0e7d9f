import { type EventEnvelope, type SealedCheckoutRequest, createEnvelope } from '@app/contracts';

/** The `producer` of this app's events. */
export const PRODUCER = 'checkout';

/**
 * The event that starts a choreographed checkout: everything the stock-reservation worker needs (the
 * card token sealed for payments), and the cart it came from if any.
 */
export function checkoutInitiated(
  request: SealedCheckoutRequest,
  origin: { checkoutId: string; cartId?: string; causationId?: string },
): EventEnvelope<'CheckoutInitiated'> {
  const { checkoutId } = origin;
  const payload = {
    checkoutId,
    clientId: request.clientId,
    items: request.items,
    paymentToken: request.payment.sealedToken,
    ...(origin.cartId !== undefined && { cartId: origin.cartId }),
  };
  return createEnvelope('CheckoutInitiated', payload, { correlationId: checkoutId, causationId: origin.causationId ?? null, producer: PRODUCER });
}
