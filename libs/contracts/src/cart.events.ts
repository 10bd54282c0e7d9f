/** Payloads of the event-sourced cart on `ecommerce.carts.events`. */
export interface CartEvents {
  CartCreated: { cartId: string; clientId: string };
  CartItemAdded: { cartId: string; sku: string; quantity: number };
  CartItemRemoved: { cartId: string; sku: string };
  CartCheckedOut: { cartId: string; checkoutId: string; mode: 'choreographed' | 'orchestrated' };
}
