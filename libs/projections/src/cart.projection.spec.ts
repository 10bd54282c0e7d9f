import { foldCart } from './cart.projection.js';
import { event } from './test-events.js';

describe('cart projection', () => {
  it('adds up repeated SKUs, removes lines and records the checkout', () => {
    const cart = foldCart([
      event('CartCreated', { cartId: 'k1', clientId: 'ann' }, 'k1'),
      event('CartItemAdded', { cartId: 'k1', sku: 'A', quantity: 1 }, 'k1'),
      event('CartItemAdded', { cartId: 'k1', sku: 'B', quantity: 2 }, 'k1'),
      event('CartItemAdded', { cartId: 'k1', sku: 'A', quantity: 3 }, 'k1'),
      event('CartItemRemoved', { cartId: 'k1', sku: 'B' }, 'k1'),
      event('CartCheckedOut', { cartId: 'k1', checkoutId: 'c7', mode: 'orchestrated' }, 'k1'),
    ]);
    expect(cart).toMatchObject({ cartId: 'k1', clientId: 'ann', status: 'CHECKED_OUT', items: [{ sku: 'A', quantity: 4 }], checkoutId: 'c7', mode: 'orchestrated', version: 6 });
  });

  it('reopens a cart whose checkout failed, keeping its items, and remembers that checkout', () => {
    const cart = foldCart([
      event('CartCreated', { cartId: 'k3', clientId: 'ann' }, 'k3'),
      event('CartItemAdded', { cartId: 'k3', sku: 'A', quantity: 2 }, 'k3'),
      event('CartCheckedOut', { cartId: 'k3', checkoutId: 'c1', mode: 'choreographed' }, 'k3'),
      event('CartReopened', { cartId: 'k3', checkoutId: 'c1' }, 'k3'),
      event('CartItemAdded', { cartId: 'k3', sku: 'B', quantity: 1 }, 'k3'),
    ]);
    expect(cart).toEqual({
      cartId: 'k3',
      clientId: 'ann',
      status: 'OPEN',
      items: [
        { sku: 'A', quantity: 2 },
        { sku: 'B', quantity: 1 },
      ],
      reopenedAfter: ['c1'],
      version: 5,
      updatedAt: expect.any(String),
    });
  });

  it('is undefined without a CartCreated', () => {
    expect(foldCart([event('CartItemAdded', { cartId: 'k2', sku: 'A', quantity: 1 }, 'k2')])).toBeUndefined();
  });
});
