import { isKeyRefusedCode } from '@app/checkout-steps';
import { SagaState } from '@app/contracts';
import type { SagaRecord } from '../saga/saga.mapper.js';

/** The HTTP answer to a checkout: always computed from the stored saga, so a retried request gets the same one. */
export interface CheckoutAnswer {
  status: 201 | 202 | 409 | 503;
  body: Record<string, unknown>;
}

export function checkoutAnswerOf(saga: SagaRecord): CheckoutAnswer {
  const identity = { sagaId: saga.id, checkoutId: saga.checkoutId, clientId: saga.clientId, state: saga.state };
  switch (saga.state) {
    case SagaState.SAGA_TERMINEE: {
      const { orderId, totalCents, items } = saga.data;
      return { status: 201, body: { ...identity, orderId, totalCents, items } };
    }
    case SagaState.SAGA_ANNULEE:
    case SagaState.COMPENSATION_ECHOUEE: {
      const { step, code, reason, details } = saga.data.failure;
      return {
        // A participant refusing our key is a deployment fault, not a "no" to this purchase: the
        // client may try again once it is fixed (a parked saga is retried on its own meanwhile).
        status: isKeyRefusedCode(code) ? 503 : 409,
        body: { ...identity, failedStep: step, code, reason, ...(details !== undefined && { details }) },
      };
    }
    default:
      // Still running elsewhere (a retried request whose first run is not finished yet).
      return { status: 202, body: identity };
  }
}
