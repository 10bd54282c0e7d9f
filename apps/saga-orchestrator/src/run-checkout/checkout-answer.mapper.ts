import { isKeyRefusedCode } from '@app/checkout-steps';
import type { CheckoutRequest } from '@app/contracts';
import type { SagaRecord } from '../saga/saga.mapper.js';

/** The HTTP answer to a checkout: always computed from the stored saga, so a retried request gets the same one. */
export interface CheckoutAnswer {
  status: 201 | 202 | 409 | 503;
  body: Record<string, unknown>;
}

export function checkoutAnswerOf(saga: SagaRecord): CheckoutAnswer {
  const identity = { sagaId: saga.id, checkoutId: saga.checkoutId, clientId: saga.clientId, state: saga.state };
  const { data } = saga;
  switch (saga.state) {
    case 'SAGA_TERMINEE':
      return { status: 201, body: { ...identity, orderId: data.orderId, totalCents: data.totalCents, items: data.items } };
    case 'SAGA_ANNULEE':
    case 'COMPENSATION_ECHOUEE': {
      const failure = data.failure;
      return {
        // A participant refusing our key is a deployment fault, not a "no" to this purchase: the
        // client may try again once it is fixed (a parked saga is retried on its own meanwhile).
        status: isKeyRefusedCode(failure?.code) ? 503 : 409,
        body: {
          ...identity,
          failedStep: failure?.step,
          code: failure?.code,
          reason: failure?.reason,
          ...(failure?.details !== undefined && { details: failure.details }),
        },
      };
    }
    default:
      // Still running elsewhere (a retried request whose first run is not finished yet).
      return { status: 202, body: identity };
  }
}

/** Whether two checkouts are the same purchase (a retry), whatever order jsonb gave their keys. */
export function sameCheckout(a: CheckoutRequest, b: CheckoutRequest): boolean {
  return (
    a.clientId === b.clientId &&
    a.payment.token === b.payment.token &&
    a.items.length === b.items.length &&
    a.items.every((item, i) => item.sku === b.items[i]?.sku && item.quantity === b.items[i]?.quantity)
  );
}
