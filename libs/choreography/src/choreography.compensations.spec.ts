import { compensationPlan } from '@app/checkout-steps';
import { compensationsBeforeStockRelease } from './choreography.compensations.js';

describe('choreography: who undoes what after a refusal', () => {
  it('leaves every stock release to stock-compensation and runs the rest of the plan where the refusal is met', () => {
    expect(compensationsBeforeStockRelease('reserveStock')).toEqual([]);
    expect(compensationsBeforeStockRelease('createOrder')).toEqual([]);
    expect(compensationsBeforeStockRelease('authorizePayment')).toEqual(['cancelOrder']);
    expect(compensationsBeforeStockRelease('confirmOrder')).toEqual(['voidPayment', 'cancelOrder']);
  });

  it('together with the stock release, is the whole plan of the refusal, in its order', () => {
    for (const step of ['createOrder', 'authorizePayment', 'confirmOrder'] as const) {
      expect([...compensationsBeforeStockRelease(step), 'releaseStock']).toEqual(compensationPlan(step, { ownEffect: false }));
    }
  });
});
