import type { Decision } from './saga.machine.js';
import { milestonesOf } from './saga.milestones.js';
import type { SagaFacts } from './saga.model.js';

const request = { clientId: 'c', items: [{ sku: 'A', quantity: 1 }], payment: { sealedToken: 'pt1.sealed', tokenDigest: 'digest' } };
const saga = (data: Partial<SagaFacts>) => ({ id: 's-1', checkoutId: 's-1', data: { request, ...data } });
const decision = (path: Decision['transitions'][number]['to'][], from: Decision['transitions'][number]['from']): Decision => {
  const states = [from, ...path];
  return {
    transitions: path.map((to, i) => ({ from: states[i]!, to, detail: {} })),
    state: path.at(-1)!,
    facts: {},
    command: { kind: 'stop' },
  };
};

describe('milestonesOf', () => {
  it('says nothing of a step that went through', () => {
    expect(milestonesOf(saga({}), decision(['STOCK_RESERVE'], 'RESERVATION_STOCK'))).toEqual([]);
  });

  it('has no compensation line when a refusal at the stock check left nothing to undo', () => {
    const failure = { step: 'stock' as const, code: 'INVENTORY.INSUFFICIENT_STOCK', reason: 'short' };
    const lines = milestonesOf(
      saga({ failure, compensation: { plan: [] } }),
      decision(['ECHEC_STOCK_INSUFFISANT', 'COMPENSATION_EN_COURS', 'SAGA_ANNULEE'], 'VERIFICATION_STOCK'),
    );
    expect(lines).toEqual([
      {
        level: 'log',
        line: expect.objectContaining({
          msg: 'Checkout s-1 failed at stock: INVENTORY.INSUFFICIENT_STOCK',
          checkoutId: 's-1',
          outcome: 'failed',
          failedStep: 'stock',
        }),
      },
    ]);
  });

  it('warns of a parked saga, with the compensation that failed', () => {
    const error = { compensation: 'releaseStock' as const, code: 'INVENTORY.UNAVAILABLE', reason: 'down', tries: 5 };
    const lines = milestonesOf(saga({ compensation: { plan: ['releaseStock'], error } }), decision(['COMPENSATION_ECHOUEE'], 'COMPENSATION_EN_COURS'));
    expect(lines).toEqual([
      {
        level: 'warn',
        line: expect.objectContaining({ msg: 'Checkout s-1 parked in COMPENSATION_ECHOUEE: releaseStock failed 5 time(s): down', outcome: 'parked' }),
      },
    ]);
  });
});
