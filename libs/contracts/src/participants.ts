/** Shapes exchanged with the inventory, orders and payments services. */

export interface LineItem {
  sku: string;
  quantity: number;
}

export interface PricedLineItem extends LineItem {
  unitPriceCents: number;
}

export interface Product {
  sku: string;
  name: string;
  priceCents: number;
  available: number;
  reserved: number;
}

export type ReservationStatus = 'RESERVED' | 'CONFIRMED' | 'RELEASED';

export interface Reservation {
  checkoutId: string;
  status: ReservationStatus;
  items: LineItem[];
}

export interface AvailabilityReport {
  available: boolean;
  missing: string[];
  shortages: StockShortage[];
  items: PricedLineItem[];
  totalCents: number;
}

export interface StockShortage {
  sku: string;
  requested: number;
  available: number;
}

/** REFUNDED: a confirmed order whose parcel was lost or damaged and the client refunded. */
export type OrderStatus = 'PENDING' | 'CONFIRMED' | 'CANCELLED' | 'REFUNDED';

export interface Order {
  orderId: string;
  checkoutId: string;
  clientId: string;
  status: OrderStatus;
  items: PricedLineItem[];
  totalCents: number;
}

export type AuthorizationStatus = 'AUTHORIZED' | 'DECLINED' | 'VOIDED';

export interface Authorization {
  checkoutId: string;
  status: AuthorizationStatus;
  amountCents: number;
  reason?: string;
}

/** What a checkout asks for, in both styles. */
export interface CheckoutRequest {
  clientId: string;
  items: LineItem[];
  payment: { token: string };
}

/**
 * A checkout request as the entry points store and publish it: the card token sealed for the
 * payments service (see `PaymentTokenSealer`), and its digest to recognise a retry of the request.
 */
export interface SealedCheckoutRequest {
  clientId: string;
  items: LineItem[];
  payment: { sealedToken: string; tokenDigest: string };
}
