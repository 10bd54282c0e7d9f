import type { AnyEvent, SagaState } from '@app/contracts';
import { type ClientOrderView, clientOrderKeyOf, evolveClientOrder, isCounted } from './orders-by-client.projection.js';
import { event } from './test-events.js';

const fold = (events: AnyEvent[]) => events.reduce<ClientOrderView | undefined>(evolveClientOrder, undefined);
const saga = (from: SagaState, to: SagaState, orderId?: string) =>
  event('SagaTransitioned', { sagaId: 's2', checkoutId: 'c2', clientId: 'bob', from, to, terminal: to.startsWith('SAGA_'), ...(orderId && { orderId }) }, 's2');

describe('orders-by-client projection', () => {
  const choreoSuccess = event('CheckoutSucceeded', { checkoutId: 'c1', clientId: 'bob', orderId: 'o1', totalCents: 100 });
  const choreoCancel = event('OrderCancelled', { checkoutId: 'c1', clientId: 'bob', orderId: 'o1', reason: 'deadline', failedStep: 'confirmation' });

  it('counts a succeeded checkout of either style', () => {
    expect(fold([choreoSuccess])).toEqual({ checkoutId: 'c1', clientId: 'bob', orderId: 'o1', succeededAt: choreoSuccess.occurredAt });
    const done = saga('CONFIRMATION_COMMANDE', 'SAGA_TERMINEE', 'o2');
    expect(fold([done])).toEqual({ checkoutId: 'c2', clientId: 'bob', orderId: 'o2', succeededAt: done.occurredAt });
    expect([fold([choreoSuccess]), fold([done])].every((o) => isCounted(o!))).toBe(true);
  });

  it('stops counting an order cancelled after its success: a force-compensated saga, an OrderCancelled', () => {
    const forced = [
      saga('CONFIRMATION_COMMANDE', 'SAGA_TERMINEE', 'o2'),
      saga('SAGA_TERMINEE', 'COMPENSATION_EN_COURS', 'o2'),
      saga('COMPENSATION_EN_COURS', 'SAGA_ANNULEE', 'o2'),
    ];
    expect(isCounted(fold(forced.slice(0, 2))!)).toBe(true);
    expect(fold(forced)).toMatchObject({ orderId: 'o2', succeededAt: forced[0]!.occurredAt, cancelledAt: forced[2]!.occurredAt });
    expect(isCounted(fold(forced)!)).toBe(false);
    expect(isCounted(fold([choreoSuccess, choreoCancel])!)).toBe(false);
  });

  it('ends the same whatever order the events are folded in, and a redelivery changes nothing', () => {
    expect(fold([choreoCancel, choreoSuccess])).toEqual(fold([choreoSuccess, choreoCancel]));
    expect(fold([choreoSuccess, choreoCancel, choreoSuccess, choreoCancel])).toEqual(fold([choreoSuccess, choreoCancel]));
  });

  it('ignores failures, intermediate transitions and a saga cancelled before it had an order', () => {
    const failed = event('CheckoutFailed', { checkoutId: 'c3', clientId: 'bob', failedStep: 'stock', code: 'X', reason: 'r' });
    const steps = [saga('EN_ATTENTE', 'VERIFICATION_STOCK'), saga('COMPENSATION_EN_COURS', 'SAGA_ANNULEE'), saga('CREATION_COMMANDE', 'COMMANDE_CREEE', 'o4')];
    expect([failed, ...steps].map(clientOrderKeyOf)).toEqual([undefined, undefined, undefined, undefined]);
    expect(fold([failed, ...steps])).toBeUndefined();
  });
});
