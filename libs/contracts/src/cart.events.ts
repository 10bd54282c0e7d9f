/** Payloads of the event-sourced cart on `ecommerce.carts.events`. */
export interface CartEvents {
  CartCreated: { cartId: string; clientId: string };
  CartItemAdded: { cartId: string; sku: string; quantity: number };
  CartItemRemoved: { cartId: string; sku: string };
  CartCheckedOut: { cartId: string; checkoutId: string; mode: 'choreographed' | 'orchestrated' };
  /** The cart's checkout failed: the cart is open again, with its items, for changes and another checkout. */
  CartReopened: { cartId: string; checkoutId: string };
}
