import type { AnyEvent, LineItem } from '@app/contracts';

/** An event-sourced cart, as its events on `ecommerce.carts.events` make it. */
export interface CartView {
  cartId: string;
  clientId: string;
  status: 'OPEN' | 'CHECKED_OUT';
  items: LineItem[];
  checkoutId?: string;
  mode?: 'choreographed' | 'orchestrated';
  /** The checkouts of this cart that failed, after each of which it was reopened, oldest first. */
  reopenedAfter?: string[];
  version: number;
  updatedAt: string;
}

/** Folds one cart event into the cart (pure); other events leave it unchanged. */
export function evolveCart(cart: CartView | undefined, event: AnyEvent): CartView | undefined {
  switch (event.type) {
    case 'CartCreated':
      return { cartId: event.payload.cartId, clientId: event.payload.clientId, status: 'OPEN', items: [], version: 1, updatedAt: event.occurredAt };
    case 'CartItemAdded': {
      if (cart === undefined) return cart;
      const { sku, quantity } = event.payload;
      const existing = cart.items.find((i) => i.sku === sku);
      const items = existing
        ? cart.items.map((i) => (i.sku === sku ? { sku, quantity: i.quantity + quantity } : i))
        : [...cart.items, { sku, quantity }];
      return { ...cart, items, version: cart.version + 1, updatedAt: event.occurredAt };
    }
    case 'CartItemRemoved':
      if (cart === undefined) return cart;
      return { ...cart, items: cart.items.filter((i) => i.sku !== event.payload.sku), version: cart.version + 1, updatedAt: event.occurredAt };
    case 'CartCheckedOut':
      if (cart === undefined) return cart;
      return { ...cart, status: 'CHECKED_OUT', checkoutId: event.payload.checkoutId, mode: event.payload.mode, version: cart.version + 1, updatedAt: event.occurredAt };
    case 'CartReopened': {
      if (cart === undefined) return cart;
      const reopenedAfter = [...(cart.reopenedAfter ?? []), event.payload.checkoutId];
      const open: CartView = { ...cart, status: 'OPEN', reopenedAfter, version: cart.version + 1, updatedAt: event.occurredAt };
      // An open cart belongs to no checkout: the failed one is kept in reopenedAfter.
      delete open.checkoutId;
      delete open.mode;
      return open;
    }
    default:
      return cart;
  }
}

/** The cart a list of events (in order) ends with. */
export const foldCart = (events: readonly AnyEvent[]): CartView | undefined => events.reduce<CartView | undefined>(evolveCart, undefined);
