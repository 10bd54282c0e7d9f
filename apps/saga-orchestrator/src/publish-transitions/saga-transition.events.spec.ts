import { SagaState } from '@app/contracts';
import { decide } from '../saga/saga.machine.js';
import type { SagaFacts, SagaOutcome } from '../saga/saga.model.js';
import { sagaEvents } from './saga-transition.events.js';

const request = { clientId: 'ann', items: [{ sku: 'A', quantity: 1 }], payment: { sealedToken: 'pt1.sealed', tokenDigest: 'digest' } };
const saga = { id: 's1', checkoutId: 's1', clientId: 'ann', transitions: 7 };

/** The events recorded when `outcome` happens to a saga in `state` knowing `facts`. */
function eventsOf(state: SagaState, facts: Omit<SagaFacts, 'request'>, outcome: SagaOutcome) {
  const data = { request, ...facts } as SagaFacts;
  const decision = decide({ state, data } as Parameters<typeof decide>[0], outcome);
  return sagaEvents(saga, decision, { ...data, ...decision.facts });
}

describe('saga events: the outcome after the transition that ends the checkout', () => {
  it('publishes CheckoutSucceeded, with the saga, its order and total, caused by the transition to SAGA_TERMINEE', () => {
    const events = eventsOf(SagaState.CONFIRMATION_COMMANDE, { orderId: 'o1', totalCents: 900, items: [] }, { type: 'OrderConfirmed' });
    expect(events.map((e) => [e.transition.payload.to, e.outcome?.type])).toEqual([[SagaState.SAGA_TERMINEE, 'CheckoutSucceeded']]);
    const [{ transition, outcome }] = events as [(typeof events)[number]];
    expect(outcome).toMatchObject({
      correlationId: 's1',
      causationId: transition.eventId,
      producer: 'saga-orchestrator',
      payload: { checkoutId: 's1', clientId: 'ann', sagaId: 's1', orderId: 'o1', totalCents: 900 },
    });
  });

  it('publishes CheckoutFailed with the failure once the compensation ends at SAGA_ANNULEE, and nothing at the steps before', () => {
    const failure = { step: 'payment' as const, code: 'PAYMENTS.CARD_DECLINED', reason: 'Card declined' };
    const events = eventsOf(SagaState.COMPENSATION_EN_COURS, { orderId: 'o1', totalCents: 900, failure, compensation: { plan: [] } }, { type: 'Compensated' });
    expect(events.map((e) => [e.transition.payload.to, e.outcome?.type])).toEqual([[SagaState.SAGA_ANNULEE, 'CheckoutFailed']]);
    expect(events[0]?.outcome?.payload).toEqual({ checkoutId: 's1', clientId: 'ann', sagaId: 's1', failedStep: 'payment', code: 'PAYMENTS.CARD_DECLINED', reason: 'Card declined' });
    const declined = eventsOf(SagaState.AUTORISATION_PAIEMENT, { orderId: 'o1', totalCents: 900, items: [] }, { type: 'StepFailed', ...failure, transient: false });
    expect(declined.every((e) => e.outcome === undefined)).toBe(true);
  });

  it('publishes no outcome for a parked compensation: the checkout ends once it is cancelled', () => {
    const failure = { step: 'payment' as const, code: 'PAYMENTS.CARD_DECLINED', reason: 'Card declined' };
    const parked = eventsOf(
      SagaState.COMPENSATION_EN_COURS,
      { orderId: 'o1', totalCents: 900, failure, compensation: { plan: [] } },
      { type: 'CompensationFailed', compensation: 'voidPayment', code: 'PAYMENTS.UNAVAILABLE', reason: 'down', tries: 3 },
    );
    expect(parked.map((e) => [e.transition.payload.to, e.outcome])).toEqual([[SagaState.COMPENSATION_ECHOUEE, undefined]]);
  });
});
