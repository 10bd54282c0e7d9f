import { createHash } from 'node:crypto';
import { type CartEvents, type LineItem, MAX_ITEMS, MAX_QUANTITY, createEnvelope, mergeLineItems } from '@app/contracts';
import { type CartView, evolveCart } from '@app/projections';
import { cartCheckedOut, cartEmpty, cartItemLimit, cartLineLimit, cartNotFound } from './cart.errors.js';

/** What a client asks of a cart. */
export type CartCommand =
  | { type: 'AddItem'; sku: string; quantity: number }
  | { type: 'RemoveItem'; sku: string }
  | { type: 'CheckOut'; checkoutId: string; mode: CartEvents['CartCheckedOut']['mode'] };

/** An event a decision appends, before it is wrapped in its envelope. */
export type CartChange = { [K in keyof CartEvents]: { type: K; payload: CartEvents[K] } }[keyof CartEvents];

/** The cart as it must be for any change: existing and still open. */
export function openCart(cart: CartView | undefined, cartId: string): CartView {
  if (cart === undefined) throw cartNotFound(cartId);
  if (cart.status === 'CHECKED_OUT') throw cartCheckedOut(cart);
  return cart;
}

/** What a checkout of the cart buys: the cart must exist, be open and hold something. */
export function linesToCheckOut(current: CartView | undefined, cartId: string): LineItem[] {
  const cart = openCart(current, cartId);
  if (cart.items.length === 0) throw cartEmpty(cartId);
  return mergeLineItems(cart.items);
}

/**
 * The cart reopened if `failedCheckoutId` (a checkout known to have failed) is the one that checked
 * it out, with the CartReopened to append; otherwise the cart as it is and no change (pure).
 */
export function reopenedAfter(cart: CartView | undefined, failedCheckoutId: string | undefined): { cart: CartView | undefined; changes: CartChange[] } {
  if (cart?.status !== 'CHECKED_OUT' || failedCheckoutId === undefined || cart.checkoutId !== failedCheckoutId) return { cart, changes: [] };
  const change = { type: 'CartReopened', payload: { cartId: cart.cartId, checkoutId: failedCheckoutId } } as const;
  return { cart: evolveCart(cart, createEnvelope(change.type, change.payload, { correlationId: cart.cartId, producer: 'checkout' })), changes: [change] };
}

/**
 * Decides what a command does to a cart (pure): the events to append, none when nothing changes
 * (removing a SKU that is not there), or a refusal. A cart checked out by `failedCheckoutId` is
 * reopened first.
 */
export function decideCart(current: CartView | undefined, cartId: string, command: CartCommand, failedCheckoutId?: string): CartChange[] {
  const reopening = reopenedAfter(current, failedCheckoutId);
  return [...reopening.changes, ...decideOnOpenCart(openCart(reopening.cart, cartId), cartId, command)];
}

function decideOnOpenCart(cart: CartView, cartId: string, command: CartCommand): CartChange[] {
  switch (command.type) {
    case 'AddItem': {
      const line = cart.items.find((i) => i.sku === command.sku);
      if ((line?.quantity ?? 0) + command.quantity > MAX_QUANTITY) throw cartLineLimit(cartId, command.sku, MAX_QUANTITY);
      if (line === undefined && cart.items.length >= MAX_ITEMS) throw cartItemLimit(cartId, MAX_ITEMS);
      return [{ type: 'CartItemAdded', payload: { cartId, sku: command.sku, quantity: command.quantity } }];
    }
    case 'RemoveItem':
      return cart.items.some((i) => i.sku === command.sku) ? [{ type: 'CartItemRemoved', payload: { cartId, sku: command.sku } }] : [];
    case 'CheckOut':
      linesToCheckOut(cart, cartId);
      return [{ type: 'CartCheckedOut', payload: { cartId, checkoutId: command.checkoutId, mode: command.mode } }];
  }
}

/**
 * What identifies a cart checkout request besides its cart: its style and its payment. Kept with the
 * cart's CartCheckedOut row, never in an event, salted with the checkout id so equal tokens of
 * different checkouts do not look alike; a repeat of the request finds the same digest.
 */
export function checkoutRequestDigest(checkoutId: string, mode: string, token: string): string {
  return createHash('sha256').update(`${checkoutId}\n${mode}\n${token}`).digest('base64url');
}
