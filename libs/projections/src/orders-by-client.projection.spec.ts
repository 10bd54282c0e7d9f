import { evolveOrdersByClient, ordersByClientKeyOf } from './orders-by-client.projection.js';
import { event } from './test-events.js';

describe('orders-by-client projection', () => {
  it('counts succeeded checkouts of both styles and keeps the latest', () => {
    const choreo = event('CheckoutSucceeded', { checkoutId: 'c1', clientId: 'bob', orderId: 'o1', totalCents: 100 });
    const orchestrated = event('SagaTransitioned', { sagaId: 's2', checkoutId: 'c2', clientId: 'bob', from: 'CONFIRMATION_COMMANDE', to: 'SAGA_TERMINEE', terminal: true, orderId: 'o2' });
    const view = [choreo, orchestrated].reduce(evolveOrdersByClient, undefined);
    expect(view).toEqual({ clientId: 'bob', totalOrders: 2, lastOrderId: 'o2', lastCheckoutId: 'c2', lastUpdateTs: orchestrated.occurredAt });
  });

  it('keeps the latest success whatever order the events arrive in', () => {
    const older = event('CheckoutSucceeded', { checkoutId: 'c5', clientId: 'eve', orderId: 'o5', totalCents: 1 });
    const newer = event('CheckoutSucceeded', { checkoutId: 'c6', clientId: 'eve', orderId: 'o6', totalCents: 1 });
    expect([newer, older].reduce(evolveOrdersByClient, undefined)).toEqual([older, newer].reduce(evolveOrdersByClient, undefined));
    expect([newer, older].reduce(evolveOrdersByClient, undefined)).toMatchObject({ totalOrders: 2, lastOrderId: 'o6' });
  });

  it('ignores failures and intermediate events', () => {
    const failed = event('CheckoutFailed', { checkoutId: 'c3', clientId: 'bob', failedStep: 'stock', code: 'X', reason: 'r' });
    const step = event('SagaTransitioned', { sagaId: 's4', checkoutId: 'c4', clientId: 'bob', from: 'EN_ATTENTE', to: 'VERIFICATION_STOCK', terminal: false });
    expect(ordersByClientKeyOf(failed)).toBeUndefined();
    expect([failed, step].reduce(evolveOrdersByClient, undefined)).toBeUndefined();
  });
});
