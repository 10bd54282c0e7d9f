import { payloadProblems } from './payload-shapes.js';

describe('payloadProblems', () => {
  const initiated = { checkoutId: 'c1', clientId: 'zoe', items: [{ sku: 'A', quantity: 2 }], paymentToken: 'tok_visa' };

  it('accepts a payload that has the shape of its type, optional fields included or not', () => {
    expect(payloadProblems('CheckoutInitiated', initiated)).toEqual([]);
    expect(payloadProblems('CheckoutInitiated', { ...initiated, cartId: 'cart-1' })).toEqual([]);
    expect(
      payloadProblems('SagaTransitioned', { sagaId: 's', checkoutId: 'c', clientId: 'z', from: 'EN_ATTENTE', to: 'VERIFICATION_STOCK', terminal: false }),
    ).toEqual([]);
  });

  it('names every field that is missing or of the wrong type', () => {
    expect(payloadProblems('CheckoutInitiated', { checkoutId: 'c1', items: [{ sku: 'A', quantity: -1 }], paymentToken: 7, cartId: 3 })).toEqual([
      'payload.clientId must be string',
      'payload.items must be items',
      'payload.paymentToken must be string',
      'payload.cartId must be string (optional)',
    ]);
  });

  it('refuses a saga transition from or to a state the saga does not have', () => {
    const transition = { sagaId: 's', checkoutId: 'c', clientId: 'z', from: 'EN_ATTENTE', to: 'VERIFICATION_STOCK', terminal: false };
    expect(payloadProblems('SagaTransitioned', { ...transition, to: 'SAGA_TERMINE' })).toEqual(['payload.to must be sagaState']);
    expect(payloadProblems('SagaTransitioned', { ...transition, from: 3 })).toEqual(['payload.from must be sagaState']);
  });

  it('refuses an unknown type and a payload that is not an object', () => {
    expect(payloadProblems('CheckoutTeleported', initiated)).toEqual(['unknown event type "CheckoutTeleported"']);
    expect(payloadProblems('CheckoutInitiated', [initiated])).toEqual(['payload is not an object']);
    expect(payloadProblems('CheckoutInitiated', null)).toEqual(['payload is not an object']);
  });
});
