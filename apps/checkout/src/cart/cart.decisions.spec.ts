import { DomainError } from '@app/contracts';
import type { CartView } from '@app/projections';
import { checkoutRequestDigest, decideCart, linesToCheckOut } from './cart.decisions.js';

const open: CartView = {
  cartId: 'k1',
  clientId: 'ann',
  status: 'OPEN',
  items: [
    { sku: 'B', quantity: 2 },
    { sku: 'A', quantity: 1 },
  ],
  version: 3,
  updatedAt: '',
};
const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error instanceof DomainError ? error.code : 'not a DomainError';
  }
};

describe('cart decisions', () => {
  it('adds, removes and checks out an open cart', () => {
    expect(decideCart(open, 'k1', { type: 'AddItem', sku: 'A', quantity: 4 })).toEqual([
      { type: 'CartItemAdded', payload: { cartId: 'k1', sku: 'A', quantity: 4 } },
    ]);
    expect(decideCart(open, 'k1', { type: 'RemoveItem', sku: 'B' })).toEqual([{ type: 'CartItemRemoved', payload: { cartId: 'k1', sku: 'B' } }]);
    expect(decideCart(open, 'k1', { type: 'CheckOut', checkoutId: 'c1', mode: 'orchestrated' })).toEqual([
      { type: 'CartCheckedOut', payload: { cartId: 'k1', checkoutId: 'c1', mode: 'orchestrated' } },
    ]);
  });

  it('changes nothing when removing a SKU that is not in the cart', () => {
    expect(decideCart(open, 'k1', { type: 'RemoveItem', sku: 'Z' })).toEqual([]);
  });

  it('refuses an unknown cart, a checked-out cart, an empty checkout and an oversized line', () => {
    const checkedOut: CartView = { ...open, status: 'CHECKED_OUT', checkoutId: 'c1', mode: 'choreographed' };
    expect(codeOf(() => decideCart(undefined, 'k9', { type: 'RemoveItem', sku: 'A' }))).toBe('CART.NOT_FOUND');
    expect(codeOf(() => decideCart(checkedOut, 'k1', { type: 'AddItem', sku: 'A', quantity: 1 }))).toBe('CART.CHECKED_OUT');
    expect(codeOf(() => decideCart({ ...open, items: [] }, 'k1', { type: 'CheckOut', checkoutId: 'c1', mode: 'choreographed' }))).toBe('CART.EMPTY');
    expect(codeOf(() => decideCart(open, 'k1', { type: 'AddItem', sku: 'A', quantity: 1_000 }))).toBe('CART.QUANTITY_LIMIT');
  });

  it('reopens a cart whose checkout failed before changing it or checking it out again, and only then', () => {
    const checkedOut: CartView = { ...open, status: 'CHECKED_OUT', checkoutId: 'c1', mode: 'choreographed' };
    const reopened = { type: 'CartReopened', payload: { cartId: 'k1', checkoutId: 'c1' } };
    expect(decideCart(checkedOut, 'k1', { type: 'AddItem', sku: 'C', quantity: 1 }, 'c1')).toEqual([
      reopened,
      { type: 'CartItemAdded', payload: { cartId: 'k1', sku: 'C', quantity: 1 } },
    ]);
    expect(decideCart(checkedOut, 'k1', { type: 'CheckOut', checkoutId: 'c2', mode: 'orchestrated' }, 'c1')).toEqual([
      reopened,
      { type: 'CartCheckedOut', payload: { cartId: 'k1', checkoutId: 'c2', mode: 'orchestrated' } },
    ]);
    // Another checkout failed, or none: the cart stays checked out.
    expect(codeOf(() => decideCart(checkedOut, 'k1', { type: 'AddItem', sku: 'C', quantity: 1 }, 'c0'))).toBe('CART.CHECKED_OUT');
    expect(decideCart(open, 'k1', { type: 'RemoveItem', sku: 'B' }, 'c1')).toEqual([{ type: 'CartItemRemoved', payload: { cartId: 'k1', sku: 'B' } }]);
  });

  it('digests a checkout request by checkout, style and payment', () => {
    const digest = checkoutRequestDigest('c1', 'choreographed', 'tok_visa');
    expect(checkoutRequestDigest('c1', 'choreographed', 'tok_visa')).toBe(digest);
    expect(new Set([digest, checkoutRequestDigest('c2', 'choreographed', 'tok_visa'), checkoutRequestDigest('c1', 'orchestrated', 'tok_visa'), checkoutRequestDigest('c1', 'choreographed', 'tok_mastercard')]).size).toBe(4);
    expect(digest).not.toContain('tok_visa');
  });

  it('checks out the lines in the canonical order every participant sees', () => {
    expect(linesToCheckOut(open, 'k1')).toEqual([
      { sku: 'A', quantity: 1 },
      { sku: 'B', quantity: 2 },
    ]);
  });
});
