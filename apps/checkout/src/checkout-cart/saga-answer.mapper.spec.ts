import { SagaState } from '@app/contracts';
import { cartCheckoutAnswerOf } from './saga-answer.mapper.js';

const statusView = (state: string) => ({ status: 200, body: { sagaId: 's1', checkoutId: 's1', clientId: 'zoe', state } });

describe('the answer to a repeated orchestrated cart checkout', () => {
  it('is answered as its checkout was: 201 succeeded, 409 compensated or parked, 202 running', () => {
    expect(cartCheckoutAnswerOf(statusView(SagaState.SAGA_TERMINEE), 'k1').status).toBe(201);
    expect(cartCheckoutAnswerOf(statusView(SagaState.SAGA_ANNULEE), 'k1').status).toBe(409);
    expect(cartCheckoutAnswerOf(statusView(SagaState.COMPENSATION_ECHOUEE), 'k1').status).toBe(409);
    expect(cartCheckoutAnswerOf(statusView(SagaState.AUTORISATION_PAIEMENT), 'k1').status).toBe(202);
    expect(cartCheckoutAnswerOf(statusView('NOT_A_STATE'), 'k1').status).toBe(202);
  });
});
