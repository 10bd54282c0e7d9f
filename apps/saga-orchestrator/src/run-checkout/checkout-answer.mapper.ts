import type { SagaRecord } from '../saga/saga.mapper.js';

/** The HTTP answer to a checkout: always computed from the stored saga, so a retried request gets the same one. */
export interface CheckoutAnswer {
  status: 201 | 202 | 409;
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
        status: 409,
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
